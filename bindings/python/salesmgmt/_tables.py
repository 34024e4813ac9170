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

    def read(self, handle, start=0, stop=None, fail=None):
        """Rows start..stop-1 of the table of @handle as dicts of raw values.
        A getter's failure (e.g. SMG_ESTATE for a stale result) raises."""
        n = self.count(handle)
        if stop is None or stop > n:
            stop = n
        ix, i64, dbl, txt, null = c_size_t(), c_int64(), c_double(), c_char_p(), c_int()
        refs = {"index": byref(ix), "int": byref(i64), "double": byref(dbl), "text": byref(txt)}
        holders = {"index": ix, "int": i64, "double": dbl, "text": txt}
        pnull = byref(null)
        plan = [(f, key, t, self.getters[kind], refs[kind], holders[kind])
                for f, key, t, kind in self.fields]
        rows = []
        for row in range(start, stop):
            d = {}
            for f, key, t, getter, ref, holder in plan:
                rc = getter(handle, row, f, ref, pnull)
                if rc:
                    if fail:
                        fail(rc)
                    raise error_for(rc, "%s: cannot read row %d field %s (%s)"
                                    % (self.prefix, row, key,
                                       _capi.load_library().smg_strerror(rc).decode()))
                if null.value:
                    d[key] = None
                    continue
                v = holder.value
                if t == _capi.TYPE_MONEY:
                    v = money_out(v)
                elif t == _capi.TYPE_DATE:
                    v = date_out(v)
                elif t == _capi.TYPE_TIME:
                    v = time_out(v)
                elif t == _capi.TYPE_BOOL:
                    v = bool(v)
                elif t == _capi.TYPE_TEXT:
                    v = text_out(v)
                d[key] = v
            rows.append(d)
        return rows


def adapt(rows, view):
    """Apply @view ({key: converter or (new key, converter)}) to raw rows, in
    place of each key, keeping the order; keys without a view stay raw."""
    out = []
    for r in rows:
        d = {}
        for k, v in r.items():
            conv = view.get(k)
            if conv is None:
                d[k] = v
            elif isinstance(conv, tuple):
                d[conv[0]] = conv[1](v) if v is not None else None
            else:
                d[k] = conv(v) if v is not None else None
        out.append(d)
    return out
