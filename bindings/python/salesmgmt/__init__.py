"""libsalesmgmt from Python: a sales organisation's rules (attribution,
KPIs, targets, tiers, visits, the scorecard, pay) through ctypes, standard
library only.

    import salesmgmt as smg
    from datetime import date

    with smg.load("examples/data") as org:
        for row in org.kpi("2025-10", by="member"):
            print(row["subject"], row["sales_amount"], row["close_rate"])
        pay = org.pay("2025-10")
        card = org.scorecard("2025-10")  # work scores item by item (考核表)
        deals = org.attribution()
        tiers = org.tiers(as_of=date(2025, 12, 31), method="pareto")

Results are plain lists of dicts whose keys and values are those of the
command line's JSON (`salesmgmt ... --format json`, docs/DATASET.md), with
money as decimal.Decimal (exact: the library's minor units / 100), days as
datetime.date, moments as datetime.datetime, members/customers/teams/deals
as their ids, and null as None -- so pandas.DataFrame(org.kpi(...)) works.
org.scorecard(month) nests each member's item lines under "items", as the
command's JSON does.

Building an org: Org() then, in a `with org.batch():` block, add_team,
add_member, add_customer, add_event, add_target, add_profile,
add_commission and add_scorecard_item (the scorecard's items: points as
Decimal or int, exact to the hundredth; `fault` and `submit` events name
an item in ref).

Errors: a failing library call raises a subclass of salesmgmt.Error
(InvalidArgument, NoMemory, NotFound, AlreadyExists, OutOfRange,
ParseError, IoError, StateError, RuleError, AccessDenied, VersionError,
DataError), with .code, .message and .errors; a wrong argument type is a
TypeError. An Org used after close() raises ClosedError (a StateError and
a ValueError).

The library is found through SALESMGMT_LIBRARY=/path/to/libsalesmgmt.so.0,
else <source tree>/build/libsalesmgmt.so.0, else the dynamic linker's
search path. ctypes releases the GIL during each C call: computations on
different Orgs run in parallel in threads; calls on one Org are serialised
by its lock.
"""
from ._capi import LibraryNotFound
from ._capi import library_path
from ._errors import (AccessDenied, AlreadyExists, ClosedError, DataError, Error,
                      InvalidArgument, IoError, NoMemory, NotFound, OutOfRange, ParseError,
                      RuleError, StateError, VersionError)
from ._org import Org, Rotation, load, policy_names, strerror, version, version_string

__version__ = "0.3.0"

__all__ = [
    "load", "Org", "Rotation",
    "attribution", "notices", "kpi", "targets", "tiers", "visits", "pay", "rotation",
    "scorecard",
    "policy_names", "version", "version_string", "strerror", "library_path",
    "Error", "InvalidArgument", "NoMemory", "NotFound", "AlreadyExists", "OutOfRange",
    "ParseError", "IoError", "StateError", "ClosedError", "RuleError", "AccessDenied",
    "VersionError", "DataError", "LibraryNotFound",
]


# The result functions, also as functions of an Org: smg.kpi(org, "2026-10")
# is org.kpi("2026-10").
def attribution(org, as_member=None, until=None):
    return org.attribution(as_member=as_member, until=until)


def notices(org, as_member=None, until=None):
    return org.notices(as_member=as_member, until=until)


def kpi(org, period, by="member", as_member=None, subject=None):
    return org.kpi(period, by=by, as_member=as_member, subject=subject)


def targets(org, period, as_member=None):
    return org.targets(period, as_member=as_member)


def tiers(org, year=None, as_of=None, method=None, as_member=None):
    return org.tiers(year=year, as_of=as_of, method=method, as_member=as_member)


def visits(org, as_of, method=None, as_member=None):
    return org.visits(as_of, method=method, as_member=as_member)


def pay(org, period, as_member=None):
    return org.pay(period, as_member=as_member)


def rotation(org, day, as_member=None):
    return org.rotation(day, as_member=as_member)


def scorecard(org, period, as_member=None):
    return org.scorecard(period, as_member=as_member)


for _f in (attribution, notices, kpi, targets, tiers, visits, pay, rotation, scorecard):
    _f.__doc__ = getattr(Org, _f.__name__).__doc__
del _f
