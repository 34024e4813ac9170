"""The exceptions of the binding: one class per negative status code of the
library (smg_status), all subclasses of salesmgmt.Error.

Each also derives from the built-in exception a Python programmer would
catch for it: InvalidArgument, AlreadyExists, OutOfRange and ParseError are
ValueErrors, NotFound a LookupError, NoMemory a MemoryError, IoError an
OSError; ClosedError (a handle used after close()) is a StateError and a
ValueError, as io's "I/O operation on closed file".
"""
from . import _capi


class Error(Exception):
    """A call into libsalesmgmt failed.

    code     the library's status code (a negative smg_status value)
    message  the library's message (smg_org_errmsg(), or the status name)
    errors   every message the library kept for the failed call
             (smg_org_error(0 .. smg_org_error_count()-1)); for a dataset
             load or a batch, one "FILE:LINE: column COL: what" each
    """

    code = None

    def __init__(self, code, message, errors=None):
        # Exception's own args: (message,), so that str() and repr() read well;
        # OSError's constructor is not given (code, message) to keep errno unset.
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.errors = list(errors) if errors else [message]

    def __str__(self):
        return self.message

    def __reduce__(self):
        return (self.__class__, (self.code, self.message, self.errors))


class InvalidArgument(Error, ValueError):
    """SMG_EINVAL: an invalid argument (empty, malformed, NUL, not UTF-8)."""


class NoMemory(Error, MemoryError):
    """SMG_ENOMEM: an allocation failed."""


class NotFound(Error, LookupError):
    """SMG_ENOTFOUND: a referenced id (or policy name) does not exist."""


class AlreadyExists(Error, ValueError):
    """SMG_EEXISTS: the id is already taken."""


class OutOfRange(Error, ValueError):
    """SMG_ERANGE: a value is outside its accepted range."""


class ParseError(Error, ValueError):
    """SMG_EPARSE: text could not be parsed (a date, an amount, a period)."""


class IoError(Error, OSError):
    """SMG_EIO: a file could not be read (also an OSError)."""

    def __init__(self, code, message, errors=None):
        OSError.__init__(self, message)
        Error.__init__(self, code, message, errors)

    def __str__(self):
        return self.message


class StateError(Error):
    """SMG_ESTATE: the call is not valid now (a batch is open, a result is stale)."""


class ClosedError(StateError, ValueError):
    """The Org (or Rotation) was closed; it cannot be used any more."""


class RuleError(Error):
    """SMG_ERULE: the data breaks a business rule."""


class AccessDenied(Error):
    """SMG_EACCESS: outside what the querying member (as_member) may see."""


class VersionError(Error):
    """SMG_EVERSION: the library's version does not fit this binding."""


class DataError(Error):
    """SMG_EDATA, and every failed all-or-nothing operation (a dataset load,
    a batch): nothing was applied; .errors holds every message."""


BY_CODE = {
    _capi.SMG_EINVAL: InvalidArgument,
    _capi.SMG_ENOMEM: NoMemory,
    _capi.SMG_ENOTFOUND: NotFound,
    _capi.SMG_EEXISTS: AlreadyExists,
    _capi.SMG_ERANGE: OutOfRange,
    _capi.SMG_EPARSE: ParseError,
    _capi.SMG_EIO: IoError,
    _capi.SMG_ESTATE: StateError,
    _capi.SMG_ERULE: RuleError,
    _capi.SMG_EACCESS: AccessDenied,
    _capi.SMG_EVERSION: VersionError,
    _capi.SMG_EDATA: DataError,
}

for _code, _cls in BY_CODE.items():
    _cls.code = _code
ClosedError.code = _capi.SMG_ESTATE


def error_for(code, message, errors=None):
    """The exception for status @code (Error itself for an unknown code)."""
    return BY_CODE.get(code, Error)(code, message, errors)
