"""The generic table reader (docs/API.md "Reading a result").

Every table of the library -- a result's (smg_kpi_*, smg_pay_*, ...) or the
org's own (smg_team_*, smg_event_*, ...) -- is read the same way: its
fields are found by looping smg_<table>_field_name(f) from 0 until NULL,
each field's smg_type (smg_<table>_field_type) says which getter reads it
(_index, _int, _double or _text), and a value is null when the getter sets
is_null. read() turns the rows into dicts of raw Python values keyed by
the fields' JSON keys:

    INDEX -> int (an index of the org: adapt() makes it an id)
    INT   -> int            MONEY -> Decimal (minor units / 100, exact)
    DATE  -> datetime.date  TIME  -> datetime.datetime
    ENUM  -> int (adapt() makes it a name)
    BOOL  -> bool           DOUBLE -> float          TEXT -> str
    null  -> None

A field the library appends later is read too, by its type, with no change
here. adapt() then applies a table's view: per key, a converter (index to
id, enum to name) and optionally a new key, keeping the key order.
"""
from ctypes import byref, c_char_p, c_double, c_int, c_int64, c_size_t

from . import _capi
from ._errors import error_for
from ._values import date_out, money_out, text_out, time_out


class Table:
    """The fields of one C table, by prefix ("smg_kpi", "smg_attribution_deal")."""

    _cache = {}

    def __init__(self, prefix):
        lib = _capi.load_library()
        self.prefix = prefix
        self.count = getattr(lib, prefix + "_count")
        name_fn = getattr(lib, prefix + "_field_name")
        type_fn = getattr(lib, prefix + "_field_type")
        getters = {}
        for kind in ("index", "int", "double", "text"):
            try:
                getters[kind] = getattr(lib, "%s_%s" % (prefix, kind))
            except AttributeError:
                pass
        self.fields = []  # (field number, key, smg_type, getter kind)
        f = 0
        while True:
            key = name_fn(f)
            if key is None:
                break
            t = type_fn(f)
            kind = {_capi.TYPE_INDEX: "index", _capi.TYPE_DOUBLE: "double",
                    _capi.TYPE_TEXT: "text"}.get(t, "int")
            self.fields.append((f, key.decode("ascii"), t, kind))
            f += 1
        self.getters = getters

    @classmethod
    def get(cls, prefix):
        t = cls._cache.get(prefix)
        if t is None:
            t = cls._cache[prefix] = Table(prefix)
        return t

    def keys(self):
        return [k for _, k, _, _ in self.fields]

    def columns(self, handle, start=0, stop=None):
        """Rows start..stop-1 of the table of @handle, read column by column:
        {key: [raw value of each row]}. A getter's failure (e.g. SMG_ESTATE
        for a stale result) raises."""
        n = self.count(handle)
        if stop is None or stop > n:
            stop = n
        rows = range(start, max(start, stop))
        null = c_int()
        pnull = byref(null)
        out = {}
        for f, key, t, kind in self.fields:
            holder = {"index": c_size_t, "int": c_int64, "double": c_double,
                      "text": c_char_p}[kind]()
            ref = byref(holder)
            getter = self.getters[kind]
            conv = _CONVERT.get(t)
            col = []
            append = col.append
            for row in rows:
                rc = getter(handle, row, f, ref, pnull)
                if rc:
                    raise error_for(rc, "%s: cannot read row %d field %s (%s)"
                                    % (self.prefix, row, key,
                                       _capi.load_library().smg_strerror(rc).decode()))
                if null.value:
                    append(None)
                elif conv is None:
                    append(holder.value)
                else:
                    append(conv(holder.value))
            out[key] = col
        return out

    def read(self, handle, start=0, stop=None):
        """Rows start..stop-1 as dicts of raw values."""
        return rows_of(self.columns(handle, start, stop))


_CONVERT = {_capi.TYPE_MONEY: money_out, _capi.TYPE_DATE: date_out, _capi.TYPE_TIME: time_out,
            _capi.TYPE_BOOL: bool, _capi.TYPE_TEXT: text_out}


def rows_of(cols):
    """{key: column} -> [{key: value}] (one dict a row, keys in order)."""
    keys = list(cols)
    return [dict(zip(keys, vals)) for vals in zip(*cols.values())]


def adapt(cols, view):
    """Apply @view ({key: converter or (new key, converter)}) to the columns
    @cols, in place of each key, keeping the order; keys without a view stay
    raw. None stays None."""
    out = {}
    for k, col in cols.items():
        conv = view.get(k)
        if conv is None:
            out[k] = col
            continue
        if isinstance(conv, tuple):
            k, conv = conv
        out[k] = [conv(v) if v is not None else None for v in col]
    return out
