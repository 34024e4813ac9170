"""Conversions between Python values and the library's: inputs are checked
here before any C call (a wrong type is a TypeError; a str with a NUL or
that cannot be encoded as UTF-8, bytes that are not UTF-8: InvalidArgument,
a ValueError), outputs are made exact (money is decimal.Decimal of the
minor units / 100, dates datetime.date, moments datetime.datetime)."""
import datetime
import decimal
import os
import re
from ctypes import byref, c_int32, c_int64

from . import _capi
from ._errors import InvalidArgument, OutOfRange, ParseError, error_for

EPOCH_DAY = datetime.date(1970, 1, 1)
EPOCH_TIME = datetime.datetime(1970, 1, 1)
INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


def _lib():
    return _capi.load_library()


def _typename(v):
    return type(v).__name__


# ---- outputs ----

def money_out(n):
    """Minor units -> Decimal with two decimals, exactly (Decimal(n).scaleb(-2))."""
    return decimal.Decimal(n).scaleb(-2)


def date_out(n):
    """smg_date (days since 1970-01-01) -> datetime.date."""
    return EPOCH_DAY + datetime.timedelta(days=n)


def time_out(n):
    """smg_time (seconds since 1970-01-01T00:00, local) -> naive datetime.datetime."""
    return EPOCH_TIME + datetime.timedelta(seconds=n)


def text_out(b):
    """bytes from the library (UTF-8) -> str; None stays None."""
    if b is None:
        return None
    return b.decode("utf-8", "replace")


# ---- inputs ----

def utf8(value, what, optional=False, empty_ok=True):
    """A text argument (an id, a name) as NUL-terminated UTF-8 bytes.

    str: encoded as UTF-8 (lone surrogates cannot be: InvalidArgument);
    bytes: must be valid UTF-8. Neither may hold a NUL (InvalidArgument).
    None only where @optional (returns None). Anything else: TypeError."""
    if value is None:
        if optional:
            return None
        raise TypeError("%s must be a str, not None" % what)
    if isinstance(value, str):
        try:
            b = value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidArgument(_capi.SMG_EINVAL, "%s %r cannot be encoded as UTF-8 (%s)"
                                  % (what, value, e.reason)) from None
    elif isinstance(value, (bytes, bytearray)):
        b = bytes(value)
        try:
            b.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InvalidArgument(_capi.SMG_EINVAL, "%s %r is not valid UTF-8 (%s)"
                                  % (what, b, e.reason)) from None
    else:
        raise TypeError("%s must be a str, not %s" % (what, _typename(value)))
    if b"\0" in b:
        raise InvalidArgument(_capi.SMG_EINVAL, "%s %r contains a NUL character" % (what, value))
    if not empty_ok and not b:
        raise InvalidArgument(_capi.SMG_EINVAL, "%s is empty" % what)
    return b


def path_arg(value, what="path"):
    """A file system path (str, bytes or os.PathLike) as bytes for the C library."""
    try:
        p = os.fspath(value)
    except TypeError:
        raise TypeError("%s must be a str, bytes or os.PathLike, not %s"
                        % (what, _typename(value))) from None
    b = os.fsencode(p)
    if b"\0" in b:
        raise InvalidArgument(_capi.SMG_EINVAL, "%s %r contains a NUL character" % (what, p))
    return b


def integer(value, what, lo=None, hi=None):
    """A whole number (int, not bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, _typename(value)))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise OutOfRange(_capi.SMG_ERANGE, "%s %d is outside %s..%s" % (what, value, lo, hi))
    return value


def scaled(value, what, scale, exponent_text):
    """A decimal quantity given as Decimal, int or str, times 10**scale,
    exactly (never rounded): money (scale 2), rates in millionths (6),
    absence days and scores in hundredths (2)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("%s must be a decimal.Decimal, int or str, not %s (a float is not exact)"
                        % (what, _typename(value)))
    if isinstance(value, int):
        d = decimal.Decimal(value)
    elif isinstance(value, decimal.Decimal):
        d = value
    elif isinstance(value, str):
        if not _DECIMAL_TEXT.match(value):
            raise ParseError(_capi.SMG_EPARSE, "%s %r is not a decimal number" % (what, value))
        d = decimal.Decimal(value)
    else:
        raise TypeError("%s must be a decimal.Decimal, int or str, not %s"
                        % (what, _typename(value)))
    if not d.is_finite():
        raise InvalidArgument(_capi.SMG_EINVAL, "%s %s is not a finite number" % (what, d))
    q = d.scaleb(scale, decimal.Context(prec=60))
    if q != q.to_integral_value():
        raise ParseError(_capi.SMG_EPARSE, "%s %s has more than %s (it would be rounded)"
                         % (what, value, exponent_text))
    n = int(q)
    if not INT64_MIN < n <= INT64_MAX:
        raise OutOfRange(_capi.SMG_ERANGE, "%s %s does not fit in 64-bit units" % (what, value))
    return n


def money(value, what="amount", optional=False):
    """Money (Decimal, int or a decimal str; at most two decimals) -> minor units."""
    if value is None:
        if optional:
            return _capi.SMG_MONEY_NONE
        raise TypeError("%s must be a decimal.Decimal, int or str, not None" % what)
    if isinstance(value, str):
        out = c_int64()
        rc = _lib().smg_money_parse(byref(out), utf8(value, what))
        if rc:
            raise error_for(rc, "%s %r is not a decimal amount with at most two decimals"
                            % (what, value))
        return out.value
    return scaled(value, what, 2, "two decimals")


def date_in(value, what="date", optional=False):
    """A day: datetime.date (a datetime gives its day) or "YYYY-MM-DD" -> smg_date."""
    if value is None:
        if optional:
            return _capi.SMG_DATE_NONE
        raise TypeError("%s must be a datetime.date or a 'YYYY-MM-DD' str, not None" % what)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return (value - EPOCH_DAY).days
    if isinstance(value, (str, bytes)):
        out = c_int32()
        rc = _lib().smg_date_parse(byref(out), utf8(value, what))
        if rc:
            raise error_for(rc, "%s %r is not a date YYYY-MM-DD" % (what, value))
        return out.value
    raise TypeError("%s must be a datetime.date or a 'YYYY-MM-DD' str, not %s"
                    % (what, _typename(value)))


def time_in(value, what="at"):
    """A moment: naive datetime.datetime (whole seconds are kept), a
    datetime.date (00:00) or "YYYY-MM-DD[THH:MM[:SS]]" -> smg_time."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            raise InvalidArgument(_capi.SMG_EINVAL, "%s %s has a time zone; the library's "
                                  "moments are local, without one" % (what, value))
        delta = value.replace(tzinfo=None) - EPOCH_TIME
        return delta.days * 86400 + delta.seconds
    if isinstance(value, datetime.date):
        return (value - EPOCH_DAY).days * 86400
    if isinstance(value, (str, bytes)):
        out = c_int64()
        rc = _lib().smg_time_parse(byref(out), utf8(value, what))
        if rc:
            raise error_for(rc, "%s %r is not a time YYYY-MM-DD[THH:MM[:SS]]" % (what, value))
        return out.value
    raise TypeError("%s must be a datetime.datetime, datetime.date or str, not %s"
                    % (what, _typename(value)))


PERIOD_HELP = ("a str such as '2026', '2026-Q4', '2026-10', '2026-W05' or "
               "'2026-10-01..2026-10-15', or a (from, to) pair of dates")


def period(value, what="period"):
    """A period -> a filled _capi.Period."""
    p = _capi.Period()
    if isinstance(value, (str, bytes)):
        rc = _lib().smg_period_parse(byref(p), utf8(value, what))
        if rc:
            raise error_for(rc, "%s %r is not %s" % (what, value, PERIOD_HELP))
        return p
    if isinstance(value, (tuple, list)) and len(value) == 2:
        rc = _lib().smg_period_range(byref(p), date_in(value[0], what + " start"),
                                     date_in(value[1], what + " end"))
        if rc:
            raise error_for(rc, "%s %r: the end is before the start, or outside years 1-9999"
                            % (what, tuple(value)))
        return p
    raise TypeError("%s must be %s, not %s" % (what, PERIOD_HELP, _typename(value)))


def policy_value(value, name):
    """A policy value as the text policy.conf would hold."""
    if isinstance(value, bool):
        raise TypeError("policy %s: give the value as text or a number, not bool" % name)
    if isinstance(value, (str, bytes, bytearray)):
        return utf8(value, "policy " + name)
    if isinstance(value, int):
        return str(value).encode("ascii")
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise InvalidArgument(_capi.SMG_EINVAL, "policy %s: %s is not finite" % (name, value))
        return format(value, "f").encode("ascii")
    if isinstance(value, float):
        return repr(value).encode("ascii")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat().encode("ascii")
    raise TypeError("policy %s: the value must be a str, int, Decimal, float or date, not %s"
                    % (name, _typename(value)))
