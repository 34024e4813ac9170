"""Org, the handle of an organisation (smg_org *), and everything computed
from it. Results are read into Python lists at once and their C results
freed before the method returns: only Org (and a live Rotation) own C
memory."""
import codecs
import contextlib
import os
import tempfile
import threading
import weakref
from collections.abc import Mapping
from ctypes import byref, c_int, c_int64, c_size_t, c_void_p, create_string_buffer, pointer

from . import _capi
from ._errors import (ClosedError, DataError, Error, InvalidArgument, IoError, NoMemory,
                      StateError, error_for)
from ._tables import Table, adapt, rows_of
from ._values import (date_in, integer, money, money_out, path_arg, policy_value, scaled,
                      time_in, utf8)
from ._values import period as _period

_METHODS = {None: _capi.TIER_METHOD_POLICY, "threshold": _capi.TIER_METHOD_THRESHOLD,
            "pareto": _capi.TIER_METHOD_PARETO}
_BY = {"member": _capi.ROWS_MEMBERS, "team": _capi.ROWS_TEAMS, "all": _capi.ROWS_ALL}
_MODES = {"marginal": _capi.COMMISSION_MARGINAL, "flat": _capi.COMMISSION_FLAT}


def _lib():
    return _capi.load_library()


def _strerror(rc):
    return _lib().smg_strerror(rc).decode("utf-8", "replace")


def _choice(value, choices, what):
    if value is not None and not isinstance(value, str):
        raise TypeError("%s must be a str (%s), not %s"
                        % (what, ", ".join(repr(c) for c in choices if c), type(value).__name__))
    if value not in choices:
        raise InvalidArgument(_capi.SMG_EINVAL, "%s must be one of %s, not %r"
                              % (what, ", ".join(repr(c) for c in choices if c), value))
    return choices[value]


def _enum_name(fn, empty_is_none=False):
    cache = {}

    def name(v):
        if v not in cache:
            b = fn(v)
            s = b.decode("utf-8") if b is not None else v
            cache[v] = None if (empty_is_none and s == "") else s
        return cache[v]
    return name


def _parse_enum(fn, value, what, names):
    if not isinstance(value, str):
        raise TypeError("%s must be a str (%s), not %s" % (what, names, type(value).__name__))
    out = c_int()
    rc = fn(byref(out), utf8(value, what))
    if rc:
        raise error_for(rc, "%s %r is not one of %s" % (what, value, names))
    return out.value


class _Names:
    """Index -> id of one org, cached for one read (the lock is held)."""

    def __init__(self, org):
        lib = _lib()
        p = org._ptr
        self._fns = {
            "member": lambda i: lib.smg_member_id(p, i),
            "team": lambda i: lib.smg_team_id(p, i),
            "customer": lambda i: lib.smg_customer_id(p, i),
            "key": lambda i: lib.smg_key_text(p, i),
            "deal": lambda i: lib.smg_deal_id(p, i),
            "item": lambda i: lib.smg_scorecard_item_id(p, i),
        }
        self._seq = {}
        self._cache = {k: {} for k in self._fns}
        self._p = p

    def _get(self, kind, i):
        c = self._cache[kind]
        if i not in c:
            b = self._fns[kind](i)
            c[i] = b.decode("utf-8", "replace") if b is not None else None
        return c[i]

    def member(self, i):
        return self._get("member", i)

    def team(self, i):
        return self._get("team", i)

    def customer(self, i):
        return self._get("customer", i)

    def key(self, i):
        return self._get("key", i)

    def deal(self, i):
        return self._get("deal", i)

    def item(self, i):
        """A scorecard item's index -> its id."""
        return self._get("item", i)

    def event(self, pos):
        """A log position -> the event's input position (its row of
        events.csv less the header), as the CLI prints events."""
        seq = self._seq.get(pos)
        if seq is None:
            v = c_int64()
            rc = _lib().smg_event_int(self._p, pos, _capi.EVENT_SEQ, byref(v), None)
            if rc:
                raise error_for(rc, "cannot read event at log position %d" % pos)
            seq = self._seq[pos] = v.value
        return seq

    def subject(self, s):
        if s.kind == _capi.SUBJECT_MEMBER:
            return "member:" + self.member(s.index), _name(_lib().smg_member_name(self._p, s.index))
        if s.kind == _capi.SUBJECT_TEAM:
            return "team:" + self.team(s.index), _name(_lib().smg_team_name(self._p, s.index))
        return "company", None


def _name(b):
    return b.decode("utf-8", "replace") if b is not None else None


def _views(names):
    """The key/value adaptation of every table to the CLI's JSON keys."""
    lib = _lib()
    reason = _enum_name(lib.smg_reason_name)
    kind = _enum_name(lib.smg_notice_kind_name)
    release_reason = _enum_name(lib.smg_release_reason_name)
    reject_reason = _enum_name(lib.smg_reject_reason_name)
    arrival = _enum_name(lib.smg_arrival_name)
    tier = _enum_name(lambda t: lib.smg_tier_name(t, None))
    role = _enum_name(lib.smg_role_name)
    etype = _enum_name(lib.smg_event_type_name)
    channel = _enum_name(lib.smg_channel_name, True)
    outcome = _enum_name(lib.smg_outcome_name, True)
    source = _enum_name(lib.smg_score_source_name)
    m, c, k, ev = names.member, names.customer, names.key, names.event
    return {
        "smg_attribution_deal": {
            "deal": ("ref", names.deal), "closer": m, "credited": m, "reason": reason,
            "customer": c, "key": k, "protector": m, "ev_deal": ev, "ev_registration": ev,
            "ev_contact": ev, "ev_claim": ev, "ev_override": ev},
        "smg_attribution_notice": {
            "kind": kind, "member": m, "other": m, "key": k, "customer": c, "event": ev,
            "deal": names.deal, "release_reason": release_reason,
            "duplicate_of": c, "reject_reason": reject_reason},
        "smg_attribution_protection": {
            "key": k, "member": m, "ev_registration": ev, "ev_contact": ev},
        "smg_attribution_registration": {"event": ev, "member": m, "customer": c, "key": k},
        "smg_tiers": {"customer": c, "tier": tier},
        "smg_visits": {"customer": c, "tier": tier, "member": m},
        "smg_pay": {"member": m, "work_score_source": source},
        "smg_scorecard_member": {"member": m, "source": source},
        "smg_scorecard_line": {"member": m, "item": names.item},
        "smg_rotation_day": {"event": ev, "member": m, "customer": c,
                             "kind": arrival, "expected": m},
        "smg_team": {"parent": names.team, "leader": m},
        "smg_member": {"team": names.team, "role": role},
        "smg_customer": {"key": k, "duplicate_of": c},
        "smg_event": {"type": etype, "member": m, "customer": c, "channel": channel,
                      "outcome": outcome},  # value: by the type (Org.events)
    }


def _scores(rows, types):
    """Pay scores as the CLI prints them: the exact hundredths (*_x100) / 100."""
    for r in rows:
        for key, t in types.items():
            if t == _capi.TYPE_DOUBLE and key + "_x100" in r and r[key] is not None:
                h = r[key + "_x100"]
                r[key] = h / 100 if h is not None else None
    return rows


class _Batch:
    def __init__(self, collect):
        self.collect = collect
        self.failed = 0


def _org_options(max_errors):
    """smg_org_options for Org() and Org.open(): the defaults, max_errors checked."""
    opts = _capi.OrgOptions()
    rc = _lib().smg_org_options_init(byref(opts), _capi.ORG_OPTIONS_VERSION)
    if rc:
        raise error_for(rc, "smg_org_options_init: " + _strerror(rc))
    if max_errors is not None:
        opts.max_errors = integer(max_errors, "max_errors", 1, 1 << 30)
    return opts


class _CHandle:
    """What Org and Rotation share: one C handle in self._ptr, freed by
    self._free. close() (each class's own) is safe twice; a with-block
    closes it; the finaliser frees a handle nobody closed."""

    @property
    def closed(self):
        return self._ptr is None

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        p = getattr(self, "_ptr", None)
        if p:
            self._ptr = None
            try:
                self._free(p)
            except Exception:  # interpreter shutdown
                pass


class Org(_CHandle):
    """An organisation: teams, members, customers, the event log, targets,
    commission tables and the policy (the library's smg_org).

    Org(policy=None) makes an empty one; salesmgmt.load(folder) reads a
    dataset. Use it in a with-block, or close() it: the C memory is freed
    at once (a finaliser frees it too, when the object is collected).
    After close() every method raises salesmgmt.ClosedError; closing twice
    is harmless. One thread at a time uses an Org (a lock serialises the
    calls); different Orgs compute in parallel, since ctypes releases the
    GIL around every C call.
    """

    def __init__(self, policy=None, *, max_errors=None):
        self._ptr = None
        self._lock = threading.RLock()
        self._batch = None
        self._children = weakref.WeakSet()
        lib = _lib()
        self._free = lib.smg_org_free
        opts = _org_options(max_errors)
        out = c_void_p()
        rc = lib.smg_org_new(byref(out), byref(opts))
        if rc:
            raise error_for(rc, "cannot create an organisation: " + _strerror(rc))
        self._ptr = out.value
        if policy is not None:
            try:
                self._apply_policy(policy)
            except BaseException:
                self.close()
                raise

    @classmethod
    def _from_pointer(cls, ptr):
        """An Org owning an smg_org * made elsewhere (the tests make one with
        a counting allocator); it will be freed by close()."""
        self = cls.__new__(cls)
        self._ptr = None
        self._lock = threading.RLock()
        self._batch = None
        self._children = weakref.WeakSet()
        self._free = _lib().smg_org_free
        self._ptr = ptr
        return self

    @classmethod
    def open(cls, path, *, max_errors=None):
        """An Org read back from a snapshot written by save(): no parsing,
        at the speed of the disk. Raises ParseError for a file that is not a
        snapshot, truncated or damaged (the message says which), IoError
        when it cannot be read."""
        opts = _org_options(max_errors)
        out = c_void_p()
        rc = _lib().smg_org_open(byref(out), path_arg(path, "snapshot"), byref(opts))
        if not out.value:
            raise error_for(rc, "cannot open the snapshot: " + _strerror(rc))
        self = cls._from_pointer(out.value)
        if rc:
            err = self._error(rc, what="cannot open the snapshot")
            self.close()
            raise err
        return self

    def save(self, path):
        """Write the committed org to `path` as a snapshot (see open()):
        atomically — the file holds the old snapshot or the new one."""
        with self._lock:
            self._query(_lib().smg_org_save, self._handle(), path_arg(path, "snapshot"))

    # ---- lifetime ----

    def close(self):
        """Free the organisation (and any live Rotation of it). Safe to call twice."""
        with self._lock:
            for child in list(self._children):
                child.close()
            p, self._ptr = self._ptr, None
            if p:
                self._free(p)

    def __enter__(self):
        self._handle()
        return self

    def __copy__(self):
        raise TypeError("an Org owns C memory and cannot be copied; load it again")

    def __deepcopy__(self, memo):
        raise TypeError("an Org owns C memory and cannot be copied; load it again")

    def __reduce__(self):
        raise TypeError("an Org cannot be pickled")

    def __repr__(self):
        if self._ptr is None:
            return "<salesmgmt.Org closed>"
        c = self.counts()
        return "<salesmgmt.Org: %d teams, %d members, %d customers, %d events>" % (
            c["teams"], c["members"], c["customers"], c["events"])

    def _handle(self):
        if self._ptr is None:
            raise ClosedError(_capi.SMG_ESTATE, "the organisation is closed")
        return self._ptr

    # ---- errors ----

    def _state(self):
        """The number of messages on the handle before a call."""
        return _lib().smg_org_error_count(self._ptr)

    def _messages(self, n0=0):
        """The messages of the call that just failed: those it added (inside
        a batch the list grows), or, outside a batch, the whole list (a
        failing call clears the list first)."""
        lib = _lib()
        n = lib.smg_org_error_count(self._ptr)
        if n > n0:
            rng = range(n0, n)
        elif self._batch is None:
            rng = range(0, n)
        else:
            rng = range(0)
        return [_name(lib.smg_org_error(self._ptr, i)) for i in rng]

    def _error(self, rc, n0=0, what=None, on_org=True):
        msgs = (self._messages(n0) if on_org else []) or [
            (what + ": " if what else "") + _strerror(rc)]
        msg = msgs[0] if len(msgs) == 1 else "%s (and %d more; see .errors)" % (
            msgs[0], len(msgs) - 1)
        return error_for(rc, msg, msgs)

    def _call(self, fn, *args, what=None):
        """A mutating call: raises on failure, except inside a collecting
        batch (the error is then kept for the commit)."""
        n0 = self._state()
        rc = fn(self._ptr, *args)
        if rc:
            if self._batch is not None:
                self._batch.failed += 1
                if self._batch.collect:
                    return rc
            raise self._error(rc, n0, what)
        return 0

    def _query(self, fn, *args, what=None, on_org=True):
        """A call that fails with a status; on_org: its message is on the org."""
        n0 = self._state()
        rc = fn(*args)
        if rc:
            raise self._error(rc, n0, what, on_org)
        return 0

    @contextlib.contextmanager
    def _atomic(self):
        """Several C calls that make one Python call: all or nothing even
        outside a batch."""
        if self._batch is not None:
            yield
            return
        lib = _lib()
        rc = lib.smg_batch_begin(self._ptr)
        if rc:
            raise self._error(rc)
        self._batch = _Batch(False)
        try:
            yield
        except BaseException:
            lib.smg_batch_rollback(self._ptr)
            raise
        else:
            rc = lib.smg_batch_commit(self._ptr)
            if rc:
                raise self._error(rc, 0)
        finally:
            self._batch = None

    # ---- loading and policy ----

    def _load(self, path, encoding):
        lib = _lib()
        if encoding is not None:
            if not isinstance(encoding, str):
                raise TypeError("encoding must be a str, not %s" % type(encoding).__name__)
            try:
                codec = codecs.lookup(encoding)
            except LookupError:
                raise InvalidArgument(_capi.SMG_EINVAL, "unknown encoding %r" % encoding) from None
            if codec.name != "utf-8" and os.path.isdir(path):
                return self._load_transcoded(path, codec)
        p = path_arg(path, "dataset folder")
        rc = lib.smg_dataset_load(self._ptr, p)
        if rc:
            raise self._dataset_error(rc)

    def _dataset_error(self, rc, fix=None):
        msgs = self._messages() or ["cannot load the dataset: " + _strerror(rc)]
        if fix:
            msgs = [fix(m) for m in msgs]
        msg = msgs[0] if len(msgs) == 1 else "%d errors; the first: %s" % (len(msgs), msgs[0])
        cls = {_capi.SMG_EIO: IoError, _capi.SMG_ESTATE: StateError,
               _capi.SMG_ENOMEM: NoMemory}.get(rc, DataError)
        return cls(rc, msg, msgs)

    def _load_transcoded(self, path, codec):
        """encoding= (GB18030 exports, issue #13): every *.csv decoded from
        @codec into a temporary folder as UTF-8 (a file that starts with a
        UTF-8 BOM is UTF-8 whatever @codec says), then the library's loader;
        errors name the original folder."""
        src = os.fsdecode(os.fspath(path))
        errors = []
        with tempfile.TemporaryDirectory(prefix="salesmgmt-") as tmp:
            for name in sorted(os.listdir(src)):
                full = os.path.join(src, name)
                if not os.path.isfile(full):
                    continue
                if not (name.endswith(".csv") or name == "policy.conf"):
                    continue
                with open(full, "rb") as f:
                    data = f.read()
                if data.startswith(codecs.BOM_UTF8):
                    text = None
                else:
                    text = None
                    if name == "policy.conf":
                        try:
                            data.decode("utf-8")
                        except UnicodeDecodeError:
                            pass
                        else:
                            text = False
                    if text is None:
                        try:
                            text = data.decode(codec.name)
                        except UnicodeDecodeError as e:
                            line = data.count(b"\n", 0, e.start) + 1
                            errors.append("%s:%d: not valid %s text (byte 0x%02x)"
                                          % (name, line, codec.name, data[e.start]))
                            continue
                with open(os.path.join(tmp, name), "wb") as f:
                    f.write(data if not text else text.encode("utf-8"))
            if errors:
                raise DataError(_capi.SMG_EDATA if len(errors) > 1 else _capi.SMG_EPARSE,
                                errors[0] if len(errors) == 1 else "%d errors; the first: %s"
                                % (len(errors), errors[0]), errors)
            rc = _lib().smg_dataset_load(self._ptr, os.fsencode(tmp))
            if rc:
                raise self._dataset_error(rc, lambda m: m.replace(tmp, src))

    def _apply_policy(self, policy):
        with self._lock:
            self._handle()
            lib = _lib()
            if isinstance(policy, (str, bytes, os.PathLike)):
                p = path_arg(policy, "policy file")
                rc = lib.smg_policy_load(self._ptr, p)
                if rc:
                    raise self._dataset_error(rc)
            elif isinstance(policy, Mapping):
                for name, value in policy.items():
                    if isinstance(value, (list, tuple)):
                        for v in value:
                            self.policy_set(name, v)
                    else:
                        self.policy_set(name, value)
            else:
                raise TypeError("policy must be a mapping of parameter names to values, or the "
                                "path of a policy.conf file, not %s" % type(policy).__name__)
            self._query(lib.smg_policy_check, self._ptr)

    def policy_set(self, name, value):
        """Set one policy parameter (RULES.md §7) from text or a number;
        raises NotFound for an unknown name, ParseError/OutOfRange for a bad value."""
        with self._lock:
            self._handle()
            n = utf8(name, "policy name")
            v = policy_value(value, name)
            self._query(_lib().smg_policy_set, self._ptr, n, v)

    def policy_get(self, name):
        """The current value of a parameter as text."""
        with self._lock:
            self._handle()
            n = utf8(name, "policy name")
            size = 256
            while True:
                buf = create_string_buffer(size)
                n0 = self._state()
                rc = _lib().smg_policy_get(self._ptr, n, buf, size)
                if rc == _capi.SMG_ERANGE and size < (1 << 20):
                    size *= 4
                    continue
                if rc < 0:
                    raise self._error(rc, n0, "policy " + str(name))
                return buf.value.decode("utf-8", "replace")

    def policy(self):
        """Every parameter and its value, as a dict of texts."""
        return {n: self.policy_get(n) for n in policy_names()}

    def policy_check(self):
        """Check the limits that tie parameters together."""
        with self._lock:
            self._handle()
            self._query(_lib().smg_policy_check, self._ptr)

    def policy_load(self, path):
        """Read a policy.conf file on top of the current policy (all or nothing)."""
        self._apply_policy(path)

    def policy_reset(self):
        """Every parameter back to its default."""
        with self._lock:
            self._handle()
            _lib().smg_policy_reset(self._ptr)

    # ---- counts ----

    def count(self, what):
        """Rows of one kind: 'teams', 'members', 'customers', 'events', 'deals',
        'receivables', 'keys', 'products', 'targets', 'profiles', 'commission_rows',
        'scorecard_items'."""
        with self._lock:
            self._handle()
            k = _choice(what, _capi.COUNTS, "count")
            return _lib().smg_org_count(self._ptr, k)

    def counts(self):
        with self._lock:
            self._handle()
            return {k: _lib().smg_org_count(self._ptr, v) for k, v in _capi.COUNTS.items()}

    def reserve_events(self, n):
        """Make room for n events (a hint for a big load)."""
        with self._lock:
            self._handle()
            self._query(_lib().smg_org_reserve, self._ptr, _capi.COUNTS["events"],
                        integer(n, "n", 0))

    # ---- batches and additions ----

    @contextlib.contextmanager
    def batch(self, collect=False):
        """All-or-nothing additions.

            with org.batch():
                org.add_team(...); org.add_member(...); org.add_event(...)

        Commits on leaving the block. A library error inside the block (a
        salesmgmt.Error raised by a call), or a commit that finds one,
        rolls everything back and raises DataError, whose .errors lists the
        messages, .code is the status of the (first) error and __cause__ the
        error raised in the block. Any other exception rolls back and
        propagates unchanged. With collect=True the calls inside do not
        raise: every error is kept and the commit raises one DataError
        listing them all (as a dataset load does). Nothing is computed inside
        a batch (StateError); batches do not nest. The block holds the Org's
        lock: other threads using this Org wait until it ends."""
        if not isinstance(collect, bool):
            raise TypeError("collect must be a bool")
        with self._lock:
            self._handle()
            if self._batch is not None:
                raise StateError(_capi.SMG_ESTATE, "a batch is already open (batches do not nest)")
            lib = _lib()
            rc = lib.smg_batch_begin(self._ptr)
            if rc:
                raise self._error(rc)
            self._batch = _Batch(collect)
            try:
                try:
                    yield self
                except Error as e:
                    if self._ptr is None:
                        raise
                    msgs = self._messages()
                    if str(e) not in msgs:
                        msgs.append(str(e))
                    lib.smg_batch_rollback(self._ptr)
                    raise DataError(e.code, "the batch was rolled back: " + msgs[0]
                                    + ("" if len(msgs) == 1 else " (and %d more)" % (len(msgs) - 1)),
                                    msgs) from e
                except BaseException:
                    if self._ptr is not None:
                        lib.smg_batch_rollback(self._ptr)
                    raise
                if self._ptr is None:
                    raise ClosedError(_capi.SMG_ESTATE, "the organisation was closed inside a batch")
                rc = lib.smg_batch_commit(self._ptr)
                if rc:
                    msgs = self._messages() or [_strerror(rc)]
                    raise DataError(rc, "the batch was rolled back: " + msgs[0]
                                    + ("" if len(msgs) == 1 else " (and %d more)" % (len(msgs) - 1)),
                                    msgs)
            finally:
                self._batch = None

    def add_team(self, team_id, name=None, parent=None, leader=None):
        """Add a team (parent None = a root); leader: a member id, or None."""
        with self._lock:
            self._handle()
            lib = _lib()
            tid = utf8(team_id, "team id")
            args = (tid, utf8(name, "team name", True), utf8(parent, "parent team id", True))
            lead = utf8(leader, "leader member id", True)
            with self._atomic():
                rc = self._call(lib.smg_team_add, *args)
                if lead is not None and not rc:
                    self._call(lib.smg_team_set_leader, tid, lead)

    def set_leader(self, team, member):
        """Make member the leader of team (None clears it)."""
        with self._lock:
            self._handle()
            self._call(_lib().smg_team_set_leader, utf8(team, "team id"),
                       utf8(member, "leader member id", True))

    def add_member(self, member_id, name=None, team=None, role="rep", start=None, end=None,
                   pay_total=None):
        """Add a member to a team with a role ('rep', 'leader', 'supervisor',
        'manager', 'director'); start/end: the span of their events
        (datetime.date or 'YYYY-MM-DD'; None = open); pay_total: Decimal
        (None = no pay lines)."""
        with self._lock:
            self._handle()
            lib = _lib()
            mid = utf8(member_id, "member id")
            nm = utf8(name, "member name", True)
            if team is None:
                raise TypeError("add_member() needs team=: the member's team id")
            tm = utf8(team, "team id")
            r = _parse_enum(lib.smg_role_parse, role, "role",
                            "'rep', 'leader', 'supervisor', 'manager', 'director'")
            s = date_in(start, "start", True)
            e = date_in(end, "end", True)
            pay = money(pay_total, "pay_total", True)
            with self._atomic():
                rc = self._call(lib.smg_member_add, mid, nm, tm, r)
                if not rc and (s != _capi.SMG_DATE_NONE or e != _capi.SMG_DATE_NONE):
                    rc = self._call(lib.smg_member_set_dates, mid, s, e)
                if not rc and pay != _capi.SMG_MONEY_NONE:
                    self._call(lib.smg_member_set_pay_total, mid, pay)

    def set_member_dates(self, member, start=None, end=None):
        with self._lock:
            self._handle()
            self._call(_lib().smg_member_set_dates, utf8(member, "member id"),
                       date_in(start, "start", True), date_in(end, "end", True))

    def set_pay_total(self, member, pay_total):
        with self._lock:
            self._handle()
            self._call(_lib().smg_member_set_pay_total, utf8(member, "member id"),
                       money(pay_total, "pay_total", True))

    def add_customer(self, customer_id, name=None, phone=None, group_key=None):
        with self._lock:
            self._handle()
            self._call(_lib().smg_customer_add, utf8(customer_id, "customer id"),
                       utf8(name, "customer name", True), utf8(phone, "phone", True),
                       utf8(group_key, "group key", True))

    def add_event(self, type, at, member=None, customer=None, ref=None, amount=None,
                  list_amount=None, cost=None, product=None, channel=None, outcome=None,
                  value=None, id=None):
        """Append an event (DATASET.md "Event types"): type 'deal', 'register', ...;
        at: datetime (or date, or 'YYYY-MM-DDTHH:MM'); money as Decimal;
        value: absence days or a work score (Decimal/int/str, hundredths kept),
        or a fault's count (a whole number; None = 1). A 'fault' or 'submit'
        names its scorecard item in ref (add_scorecard_item()). A 'cancel'
        names the id of an earlier event in ref; a 'refund' names its deal in
        ref, with amount and optionally cost (the cost taken back); a
        'transfer' names the member's new team in ref (RULES.md §8)."""
        with self._lock:
            self._handle()
            lib = _lib()
            ev = _capi.Event()
            rc = lib.smg_event_init(byref(ev), _capi.EVENT_VERSION)
            if rc:
                raise error_for(rc, "smg_event_init: " + _strerror(rc))
            ev.type = _parse_enum(lib.smg_event_type_parse, type, "event type",
                                  "signin, reception, register, followup, visit, demo, deal, "
                                  "claim, override, void_register, receivable, payment, "
                                  "complaint, expense, absence, work_score, fault, submit, "
                                  "handover, link, cancel, refund, transfer")
            ev.at = time_in(at, "at")
            ev.member = utf8(member, "member id", True)
            ev.customer = utf8(customer, "customer id", True)
            ev.ref = utf8(ref, "ref", True)
            ev.amount = money(amount, "amount", True)
            ev.list_amount = money(list_amount, "list_amount", True)
            ev.cost = money(cost, "cost", True)
            ev.product = utf8(product, "product", True)
            if channel is not None:
                ev.channel = _parse_enum(lib.smg_channel_parse, channel, "channel",
                                         "walk_in, phone, onsite")
            if outcome is not None:
                ev.outcome = _parse_enum(lib.smg_outcome_parse, outcome, "outcome",
                                         "duty, success, fail")
            if value is not None and ev.type == _capi.EV_FAULT:
                ev.value = scaled(value, "value", 0, "no decimals (a fault's count is whole)")
            elif value is not None:
                ev.value = scaled(value, "value", 2, "two decimals")
            ev.id = utf8(id, "event id", True)
            self._call(lib.smg_event_add, byref(ev))

    def _subject(self, text, what="subject"):
        if not isinstance(text, (str, bytes)):
            raise TypeError("%s must be a str ('member:ID', 'team:ID' or 'company'), not %s"
                            % (what, type(text).__name__))
        s = _capi.Subject()
        self._query(_lib().smg_subject_parse, byref(s), self._ptr, utf8(text, what),
                    what="%s %r (expected 'member:ID', 'team:ID' or 'company' of this org)"
                    % (what, text), on_org=False)
        return s

    def _metric(self, metric):
        return _parse_enum(_lib().smg_metric_parse, metric, "metric",
                           "sales_amount, gross_profit, deal_count, new_customers, visits, "
                           "collections")

    def add_target(self, subject, metric, period, amount, profile=None):
        """A target: subject 'member:ID' / 'team:ID' / 'company', a metric name,
        a year/quarter/month period, an amount (Decimal for money metrics,
        int for counts), an optional seasonality profile name."""
        with self._lock:
            self._handle()
            lib = _lib()
            s = self._subject(subject)
            mt = self._metric(metric)
            p = _period(period)
            amt = (money(amount, "amount") if lib.smg_metric_is_money(mt)
                   else integer(amount, "amount"))
            self._call(lib.smg_target_add, byref(s), mt, byref(p), amt,
                       utf8(profile, "profile", True))

    def add_profile(self, name, weights):
        """A seasonality profile: twelve non-negative monthly weights
        (Decimal/int/str; 1 = 1000000 millionths)."""
        with self._lock:
            self._handle()
            ws = list(weights) if not isinstance(weights, (str, bytes)) else None
            if ws is None or len(ws) != 12:
                raise TypeError("weights must be a sequence of twelve numbers")
            arr = (c_int64 * 12)(*[scaled(w, "weight", 6, "six decimals") for w in ws])
            self._call(_lib().smg_profile_add, utf8(name, "profile name"), arr)

    def add_commission(self, product, from_amount, rate, mode="marginal"):
        """A commission bracket: product ('*' = all), from_amount (Decimal),
        rate (Decimal or str, e.g. '0.015'), mode 'marginal' or 'flat'."""
        with self._lock:
            self._handle()
            self._call(_lib().smg_commission_add, utf8(product, "product"),
                       money(from_amount, "from_amount"), scaled(rate, "rate", 6, "six decimals"),
                       _choice(mode, _MODES, "mode"))

    def add_scorecard_item(self, item_id, points, parent=None, deduct=None, roles=None,
                           due=None):
        """A scorecard item (考核细则, RULES.md §6): points (Decimal, int or str,
        at most two decimals: 60, Decimal('12.5')); parent: the item it is part
        of (None = top level; it may come later in the same batch); deduct:
        points off per fault (None: any fault zeroes the item); roles: the
        role names it applies to (['rep', 'leader']; a single str is one role;
        None or [] = every role); due: 'monthly:DD', 'weekly:mon'..'weekly:sun'
        or None. The checks that tie items together (parents, sums, 100
        points per role) run at the commit: add the items in a batch."""
        with self._lock:
            self._handle()
            lib = _lib()
            iid = utf8(item_id, "item id")
            par = utf8(parent, "parent item id", True)
            pts = scaled(points, "points", 2, "two decimals")
            ded = (_capi.SMG_POINTS_NONE if deduct is None
                   else scaled(deduct, "deduct", 2, "two decimals"))
            bits = self._role_bits(roles)
            dl = self._deadline(due)
            self._call(lib.smg_scorecard_item_add, iid, par, pts, ded, bits,
                       byref(dl) if dl is not None else None)

    @staticmethod
    def _role_bits(roles):
        if roles is None:
            return 0
        if isinstance(roles, (str, bytes)):
            roles = [roles]
        try:
            names = list(roles)
        except TypeError:
            raise TypeError("roles must be a list of role names, not %s"
                            % type(roles).__name__) from None
        bits = 0
        for r in names:
            bits |= 1 << _parse_enum(_lib().smg_role_parse, r, "role",
                                     "'rep', 'leader', 'supervisor', 'manager', 'director'")
        return bits

    @staticmethod
    def _deadline(due):
        if due is None:
            return None
        if not isinstance(due, (str, bytes)):
            raise TypeError("due must be a str ('monthly:30', 'weekly:fri') or None, not %s"
                            % type(due).__name__)
        d = _capi.Deadline()
        rc = _lib().smg_deadline_parse(byref(d), utf8(due, "due"))
        if rc:
            raise error_for(rc, "due %r is not 'monthly:DD' (DD 1-31), 'weekly:mon' ... "
                            "'weekly:sun' or ''" % (due,))
        return d

    # ---- the org's own tables ----

    def _read(self, prefix, handle, start=0, stop=None, names=None):
        cols = Table.get(prefix).columns(handle, start, stop)
        return rows_of(adapt(cols, _views(names or _Names(self))[prefix]))

    def teams(self):
        """The committed teams: id, name, parent, leader."""
        with self._lock:
            return self._read("smg_team", self._handle())

    def members(self):
        """The committed members: id, name, team, role, start, end, pay_total."""
        with self._lock:
            return self._read("smg_member", self._handle())

    def customers(self):
        """The committed customers: id, name, phone, group_key, key, duplicate_of."""
        with self._lock:
            return self._read("smg_customer", self._handle())

    def events(self, start=None, stop=None):
        """The committed event log in processing order (time, then input
        order), rows start..stop-1 (negative counts from the end, as a slice).
        value: absence days and work scores as Decimal, a fault's count as int."""
        with self._lock:
            h = self._handle()
            n = _lib().smg_event_count(h)
            a, b, _ = slice(start, stop).indices(n)
            cols = Table.get("smg_event").columns(h, a, max(a, b))
            values = [None if v is None else v if t == _capi.EV_FAULT else money_out(v)
                      for v, t in zip(cols["value"], cols["type"])]
            cols = adapt(cols, _views(_Names(self))["smg_event"])
            cols["value"] = values
            return rows_of(cols)

    def scorecard_items(self):
        """The committed scorecard items, in insertion order, as
        add_scorecard_item() takes them: id, parent (None at the top level),
        points (Decimal), deduct (Decimal, or None: any fault zeroes the
        item), roles (a list of role names; [] = every role), due
        ('monthly:30', 'weekly:fri' or None)."""
        with self._lock:
            h = self._handle()
            lib = _lib()
            names = _Names(self)
            role = _enum_name(lib.smg_role_name)
            out = []
            for r in Table.get("smg_scorecard_item").read(h):
                due = None
                if r["due"]:
                    d = _capi.Deadline(r["due"], r["due_day"] or 0)
                    buf = create_string_buffer(32)
                    if lib.smg_deadline_format(buf, len(buf), byref(d)) > 0:
                        due = buf.value.decode("ascii")
                bits = r["roles"] or 0
                out.append({
                    "id": r["id"],
                    "parent": names.item(r["parent"]) if r["parent"] is not None else None,
                    "points": money_out(r["points_x100"]),
                    "deduct": money_out(r["deduct_x100"]) if r["deduct_x100"] is not None
                    else None,
                    "roles": [role(k) for k in range(63) if bits >> k & 1],
                    "due": due})
            return out

    # ---- results ----

    def _no_batch(self, what):
        """The library refuses to compute inside an open batch, and its refusal
        would also count as an error of the batch: refuse here first."""
        if self._batch is not None:
            raise StateError(_capi.SMG_ESTATE, "%s: a batch is open; leave the with-block "
                             "(commit) first" % what)

    def _compute(self, name, opts, free):
        self._no_batch(name)
        out = c_void_p()
        n0 = self._state()
        rc = getattr(_lib(), "smg_%s_compute" % name)(byref(out), self._ptr, byref(opts))
        if rc:
            raise self._error(rc, n0, "smg_%s_compute" % name)
        return _Owned(out.value, free)

    def _attribution_opts(self, as_member, until):
        opts = _capi.AttributionOptions()
        _lib().smg_attribution_options_init(byref(opts), _capi.ATTRIBUTION_OPTIONS_VERSION)
        opts.as_member = utf8(as_member, "as_member", True)
        if until is not None:
            opts.until = time_in(until, "until")
        return opts

    def _attribution_tables(self, tables, as_member, until):
        with self._lock:
            self._handle()
            lib = _lib()
            opts = self._attribution_opts(as_member, until)
            with self._compute("attribution", opts, lib.smg_attribution_free) as h:
                names = _Names(self)
                views = _views(names)
                out = {}
                for t in tables:
                    prefix = "smg_attribution_" + t
                    out[t] = rows_of(adapt(Table.get(prefix).columns(h), views[prefix]))
                return out

    def attribution(self, as_member=None, until=None):
        """Who gets the credit for every deal, and why (RULES.md §4): the
        `deals` of `salesmgmt attribute --format json` -- ref, closer,
        credited (None = the company), reason, customer, key, day, amount,
        protector, ev_* (input positions of the deciding events)."""
        return self._attribution_tables(["deal"], as_member, until)["deal"]

    def notices(self, as_member=None, until=None):
        """The notices of the replay: kind ('collision', 'release',
        'claim_late', 'claim_invalid', 'late_followup', 'duplicate',
        'rejected'), day, member, other, key, customer, event, deal,
        release_reason ('expired', 'voided', 'left', 'handover', 'link',
        'hold_limit'), duplicate_of, deadline, reject_reason ('collision',
        'limit', 'reclaim_wait')."""
        return self._attribution_tables(["notice"], as_member, until)["notice"]

    def protections(self, as_member=None, until=None):
        """The protected attribution keys at the end of the replay."""
        return self._attribution_tables(["protection"], as_member, until)["protection"]

    def registrations(self, as_member=None, until=None):
        """The accepted registrations and the R3 follow-up check."""
        return self._attribution_tables(["registration"], as_member, until)["registration"]

    def expiring(self, day, within_days, as_member=None):
        """The follow-up reminder list: the protections of keys protected on
        day whose protection ends within within_days days."""
        with self._lock:
            self._handle()
            lib = _lib()
            d = date_in(day, "day")
            w = integer(within_days, "within_days", 0, 1 << 30)
            opts = self._attribution_opts(as_member, None)
            with self._compute("attribution", opts, lib.smg_attribution_free) as h:
                n = c_size_t()
                self._query(lib.smg_attribution_expiring, h, d, w, None, 0, byref(n),
                            what="smg_attribution_expiring", on_org=False)
                rows = (c_size_t * max(n.value, 1))()
                self._query(lib.smg_attribution_expiring, h, d, w, rows, n.value, byref(n),
                            what="smg_attribution_expiring", on_org=False)
                names = _Names(self)
                return [self._read("smg_attribution_protection", h, r, r + 1, names)[0]
                        for r in rows[:n.value]]

    def _kpi_opts(self, by, as_member, subject):
        opts = _capi.KpiOptions()
        _lib().smg_kpi_options_init(byref(opts), _capi.KPI_OPTIONS_VERSION)
        opts.as_member = utf8(as_member, "as_member", True)
        opts.rows = _choice(by, _BY, "by")
        subj = None
        if subject is not None:
            subj = self._subject(subject)
            opts.subject = pointer(subj)
        return opts, subj

    def _kpi_rows(self, h):
        lib = _lib()
        names = _Names(self)
        rows = Table.get("smg_kpi").read(h)
        out = []
        s = _capi.Subject()
        for i, r in enumerate(rows):
            rc = lib.smg_kpi_subject(h, i, byref(s))
            if rc:
                raise error_for(rc, "smg_kpi_subject: " + _strerror(rc))
            subject, name = names.subject(s)
            d = {"subject": subject, "name": name}
            d.update(r)
            out.append(d)
        return out

    def kpi(self, period, by="member", as_member=None, subject=None):
        """Every KPI of RULES.md §5 over a period ('2026-10', '2026-Q4', '2026',
        '2026-W05', 'FROM..TO' or a (from, to) pair of dates), one row per
        member (by='member'), per team and the company (by='team'), or both
        ('all'); subject= 'member:ID' / 'team:ID' / 'company' restricts the
        rows. Rows as `salesmgmt kpi --format json`: subject, name and every
        KPI key (money Decimal, counts int, rates float or None)."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts, _subj = self._kpi_opts(by, as_member, subject)
            opts.period = _period(period)
            with self._compute("kpi", opts, lib.smg_kpi_report_free) as h:
                return self._kpi_rows(h)

    def kpi_many(self, periods, by="member", as_member=None, subject=None):
        """kpi() of several periods in one pass over the log: a list of row lists."""
        with self._lock:
            self._handle()
            lib = _lib()
            if isinstance(periods, (str, bytes)):
                raise TypeError("periods must be a sequence of periods, not a single str")
            ps = [_period(p) for p in periods]
            opts, _subj = self._kpi_opts(by, as_member, subject)
            self._no_batch("kpi")
            if not ps:
                return []
            arr = (_capi.Period * max(len(ps), 1))(*ps)
            outs = (c_void_p * max(len(ps), 1))()
            n0 = self._state()
            rc = lib.smg_kpi_compute_many(outs, self._ptr, byref(opts), arr, len(ps))
            if rc:
                raise self._error(rc, n0, "smg_kpi_compute_many")
            try:
                return [self._kpi_rows(outs[i]) for i in range(len(ps))]
            finally:
                for i in range(len(ps)):
                    lib.smg_kpi_report_free(outs[i])

    def targets(self, period, as_member=None):
        """The derived targets and team split gaps (RULES.md §2), rows as
        `salesmgmt targets --format json`: subject, metric, target,
        children_sum, gap (Decimal for money metrics, int for counts; a
        member's children_sum and gap are None)."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts = _capi.TargetsOptions()
            lib.smg_targets_options_init(byref(opts), _capi.TARGETS_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.period = _period(period)
            with self._compute("targets", opts, lib.smg_targets_free) as h:
                names = _Names(self)
                metric = _enum_name(lib.smg_metric_name)
                rows = Table.get("smg_targets").read(h)
                out = []
                s = _capi.Subject()
                for i, r in enumerate(rows):
                    rc = lib.smg_targets_subject(h, i, byref(s))
                    if rc:
                        raise error_for(rc, "smg_targets_subject: " + _strerror(rc))
                    d = {"subject": names.subject(s)[0]}
                    is_money = lib.smg_metric_is_money(r["metric"])
                    for k, v in r.items():
                        if k == "metric":
                            v = metric(v)
                        elif is_money and isinstance(v, int):
                            v = money_out(v)
                        d[k] = v
                    out.append(d)
                return out

    def target(self, subject, metric, period):
        """The target of one subject and metric over any period, as
        smg_target_get() derives it; None when there is none."""
        with self._lock:
            self._handle()
            lib = _lib()
            s = self._subject(subject)
            mt = self._metric(metric)
            p = _period(period)
            self._no_batch("target")
            v, null = c_int64(), c_int()
            self._query(lib.smg_target_get, self._ptr, byref(s), mt, byref(p), byref(v),
                        byref(null))
            if null.value:
                return None
            return money_out(v.value) if lib.smg_metric_is_money(mt) else v.value

    def tiers(self, year=None, as_of=None, method=None, as_member=None):
        """Customer tiers (RULES.md §3) for a calendar year (year=2026) or the
        12 months ending on a day (as_of=date(2026, 6, 30)); method None (the
        policy's), 'threshold' or 'pareto'. Rows as `salesmgmt tiers --format
        json`: customer, tier, annual_sales."""
        with self._lock:
            self._handle()
            lib = _lib()
            if (year is None) == (as_of is None):
                raise TypeError("tiers() needs exactly one of year= and as_of=")
            opts = _capi.TiersOptions()
            lib.smg_tiers_options_init(byref(opts), _capi.TIERS_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.method = _choice(method, _METHODS, "method")
            if year is not None:
                y = integer(year, "year", 1, 9999)
                self._query(lib.smg_period_year, byref(opts.window), y, what="year %d" % y,
                            on_org=False)
            else:
                self._query(lib.smg_tiers_window_as_of, byref(opts.window),
                            date_in(as_of, "as_of"), what="as_of", on_org=False)
            with self._compute("tiers", opts, lib.smg_tiers_free) as h:
                return self._read("smg_tiers", h)

    def visits(self, as_of, method=None, as_member=None):
        """The visit list as of a day (RULES.md §3): customer, tier,
        last_visit, due, overdue, member -- as `salesmgmt visits --format json`."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts = _capi.VisitsOptions()
            lib.smg_visits_options_init(byref(opts), _capi.VISITS_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.method = _choice(method, _METHODS, "method")
            opts.as_of = date_in(as_of, "as_of")
            with self._compute("visits", opts, lib.smg_visits_free) as h:
                return self._read("smg_visits", h)

    def pay(self, period, as_member=None):
        """Scores and pay of a month ('2026-10'), one row per member, as
        `salesmgmt pay --format json` (scores float with two decimals,
        completion_rate float or None, money Decimal or None), plus the
        library's other fields (pay_total, sales_amount, target_amount,
        days_absent, annual_score, work_score_source -- 'given', 'scorecard'
        or 'none', as scorecard() says -- and the exact *_x100 scores)."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts = _capi.PayOptions()
            lib.smg_pay_options_init(byref(opts), _capi.PAY_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.month = _period(period)
            with self._compute("pay", opts, lib.smg_pay_report_free) as h:
                table = Table.get("smg_pay")
                rows = self._read("smg_pay", h)
                return _scores(rows, {k: t for _, k, t, _ in table.fields})

    def scorecard(self, period, as_member=None):
        """The scorecard (考核表, RULES.md §6) of a month ('2026-10'): the
        `members` of `salesmgmt scorecard --format json`, one dict per member
        the caller may see: member, work_score (float, two decimals), source
        ('given': a work_score event wins, 'scorecard' or 'none'), items (every
        item that applies, parents before their children: item, score, faults,
        doubled, plus missed (the deadlines missed among the faults), depth
        (0 at the top level) and score_x100; empty when the scorecard does not
        score the member that month), plus scorecard_score (what the
        scorecard gives even when a given score wins; None when it does not
        score the member) and the exact *_x100 scores."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts = _capi.ScorecardOptions()
            lib.smg_scorecard_options_init(byref(opts), _capi.SCORECARD_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.month = _period(period)
            with self._compute("scorecard", opts, lib.smg_scorecard_free) as h:
                views = _views(_Names(self))
                rows = {}
                for t in ("member", "line"):
                    prefix = "smg_scorecard_" + t
                    table = Table.get(prefix)
                    rows[t] = _scores(rows_of(adapt(table.columns(h), views[prefix])),
                                      {k: ty for _, k, ty, _ in table.fields})
                out = []
                for m in rows["member"]:
                    first, n = m.pop("first_line"), m.pop("lines")
                    items = []
                    for line in rows["line"][first:first + n]:
                        del line["member"]
                        items.append(line)
                    d = {"member": m.pop("member"), "work_score": m.pop("work_score"),
                         "source": m.pop("source"), "items": items}
                    d.update(m)
                    out.append(d)
                return out

    def rotation(self, day, as_member=None):
        """The replay of a day's receptions against the rotation (轮序), as
        `salesmgmt rotation --format json`: {'order': [...], 'receptions':
        [...], 'final_order': [...]}, orders as {position, member, name}."""
        with self._lock:
            self._handle()
            lib = _lib()
            opts = _capi.RotationDayOptions()
            lib.smg_rotation_day_options_init(byref(opts), _capi.ROTATION_DAY_OPTIONS_VERSION)
            opts.as_member = utf8(as_member, "as_member", True)
            opts.day = date_in(day, "day")
            with self._compute("rotation_day", opts, lib.smg_rotation_day_free) as h:
                names = _Names(self)
                orders = {}
                for key, final in (("order", 0), ("final_order", 1)):
                    n = c_size_t()
                    self._query(lib.smg_rotation_day_order, h, final, None, 0, byref(n),
                                what="smg_rotation_day_order", on_org=False)
                    ms = (c_size_t * max(n.value, 1))()
                    self._query(lib.smg_rotation_day_order, h, final, ms, n.value, byref(n),
                                what="smg_rotation_day_order", on_org=False)
                    orders[key] = [{"position": i + 1, "member": names.member(m),
                                    "name": _name(lib.smg_member_name(self._ptr, m))}
                                   for i, m in enumerate(ms[:n.value])]
                return {"order": orders["order"], "receptions": self._read("smg_rotation_day", h),
                        "final_order": orders["final_order"]}

    def live_rotation(self):
        """A live reception rotation for today (smg_rotation): see Rotation."""
        return Rotation(self)


class _Owned:
    """A C result freed when the with-block ends."""

    def __init__(self, handle, free):
        self.handle = handle
        self.free = free

    def __enter__(self):
        return self.handle

    def __exit__(self, *exc):
        h, self.handle = self.handle, None
        if h:
            self.free(h)
        return False


class Rotation(_CHandle):
    """A live rotation (smg_rotation) over an Org's members: sign members
    in, let customers arrive, mark members done. Closed with its Org, or by
    close() / a with-block."""

    def __init__(self, org):
        with org._lock:
            org._handle()
            lib = _lib()
            self._ptr = None
            self._org = org
            self._free = lib.smg_rotation_free
            out = c_void_p()
            org._query(lib.smg_rotation_new, byref(out), org._ptr, what="smg_rotation_new")
            self._ptr = out.value
            org._children.add(self)

    def close(self):
        with self._org._lock:
            p, self._ptr = self._ptr, None
            if p:
                self._free(p)

    def __enter__(self):
        return self

    def __copy__(self):
        raise TypeError("a Rotation cannot be copied")

    __deepcopy__ = lambda self, memo: self.__copy__()

    def __reduce__(self):
        raise TypeError("a Rotation cannot be pickled")

    def _h(self):
        self._org._handle()
        if self._ptr is None:
            raise ClosedError(_capi.SMG_ESTATE, "the rotation is closed")
        return self._ptr

    def signin(self, member):
        """The member joins the end of the order."""
        with self._org._lock:
            self._org._query(_lib().smg_rotation_signin, self._h(), utf8(member, "member id"))

    def arrive(self, kind="new", member=None):
        """A customer arrives ('new', 'named', 'returning', 'referral', 'peer';
        member: the member named, or the protector). Returns (receiver member
        id, duty); StateError when everybody is busy."""
        with self._org._lock:
            lib = _lib()
            kinds = {lib.smg_arrival_name(v).decode(): v
                     for v in range(_capi.ARRIVAL_NEW, _capi.ARRIVAL_PEER + 1)}
            k = _choice(kind, kinds, "kind")
            rec, duty = c_size_t(), c_int()
            self._org._query(lib.smg_rotation_arrive, self._h(), k,
                             utf8(member, "member id", True), byref(rec), byref(duty))
            return _name(lib.smg_member_id(self._org._ptr, rec.value)), bool(duty.value)

    def done(self, member):
        """The member is free again."""
        with self._org._lock:
            self._org._query(_lib().smg_rotation_done, self._h(), utf8(member, "member id"))

    def busy(self, member):
        with self._org._lock:
            b = c_int()
            self._org._query(_lib().smg_rotation_busy, self._h(), utf8(member, "member id"),
                             byref(b))
            return bool(b.value)

    def order(self):
        """The current order, first to last, as member ids."""
        with self._org._lock:
            lib = _lib()
            h = self._h()
            n = c_size_t()
            self._org._query(lib.smg_rotation_order, h, None, 0, byref(n))
            ms = (c_size_t * max(n.value, 1))()
            self._org._query(lib.smg_rotation_order, h, ms, n.value, byref(n))
            return [_name(lib.smg_member_id(self._org._ptr, m)) for m in ms[:n.value]]


def load(path, policy=None, encoding=None, *, max_errors=None):
    """Load a dataset folder (DATASET.md) as the CLI does; policy: a mapping
    of parameters (or a policy.conf path) set on top of the folder's
    policy.conf; encoding: the CSV files' encoding when not UTF-8 (e.g.
    'gb18030'). Raises IoError when a file cannot be read, DataError
    (.errors: every 'FILE:LINE: column COL: what') when the data is bad;
    nothing is half-loaded."""
    org = Org(max_errors=max_errors)
    try:
        with org._lock:
            org._load(path, encoding)
        if policy is not None:
            org._apply_policy(policy)
    except BaseException:
        org.close()
        raise
    return org


def policy_names():
    """The name of every policy parameter (RULES.md §7)."""
    lib = _lib()
    out = []
    i = 0
    while True:
        n = lib.smg_policy_name(i)
        if n is None:
            return out
        out.append(n.decode("utf-8"))
        i += 1


def version():
    """The library's version as (major, minor, patch)."""
    v = _lib().smg_version()
    return (v // 10000, v // 100 % 100, v % 100)


def version_string():
    return _lib().smg_version_string().decode("ascii")


def strerror(code):
    """The library's name of a status code."""
    return _strerror(integer(code, "code"))
