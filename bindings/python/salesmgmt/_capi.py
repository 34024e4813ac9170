"""The raw ctypes layer of libsalesmgmt (private; used by the package).

Every public function of include/salesmgmt/*.h has its prototype here
(PROTOTYPES: name -> (restype, argtypes)); tests/python/test_binding.py
parses the headers and checks that each SMG_API declaration is bound with
the types its C signature maps to, and a C program built by the tests
checks the layout of the structures below against the compiler's.

Conventions of the mapping:
- handles (smg_org *, smg_attribution *, every result, smg_scorecard * too) are c_void_p and
  their out-parameters (smg_x **) POINTER(c_void_p);
- value enums, field enums and smg_type are C ints (c_int);
- smg_money, smg_time and int64_t are c_int64, smg_date c_int32;
- const char * / char * (text in, buffers out) are c_char_p, whose
  restype gives bytes (or None for NULL);
- the structs of common.h and the option structs are ctypes Structures.

The library is found (find_library()) as the package documents:
SALESMGMT_LIBRARY, else the build folder next to the source tree
(<repo>/build/libsalesmgmt.so.0), else the dynamic linker's own search for
"libsalesmgmt.so.0". Its run-time version must be 0.x with x >= 2.

ctypes releases the GIL around every call into a CDLL: a long computation
in one thread lets the other Python threads run.
"""
import ctypes
import os
import sys
import threading
from ctypes import (POINTER as P, Structure, c_char_p, c_double, c_int, c_int32, c_int64,
                    c_size_t, c_uint, c_void_p)

# ---- the version this package is written against (common.h) ----
NEED_MAJOR = 0
NEED_MINOR = 2
LIBRARY_NAME = "libsalesmgmt.so.0"

# ---- status codes (smg_status) ----
SMG_OK = 0
SMG_EINVAL = -1
SMG_ENOMEM = -2
SMG_ENOTFOUND = -3
SMG_EEXISTS = -4
SMG_ERANGE = -5
SMG_EPARSE = -6
SMG_EIO = -7
SMG_ESTATE = -8
SMG_ERULE = -9
SMG_EACCESS = -10
SMG_EVERSION = -11
SMG_EDATA = -12

# ---- smg_type ----
TYPE_INDEX = 1
TYPE_INT = 2
TYPE_MONEY = 3
TYPE_DATE = 4
TYPE_TIME = 5
TYPE_ENUM = 6
TYPE_BOOL = 7
TYPE_DOUBLE = 8
TYPE_TEXT = 9

# ---- absent values ----
SMG_MONEY_NONE = -(2 ** 63)
SMG_TIME_NONE = -(2 ** 63)
SMG_DATE_NONE = -(2 ** 31)

# ---- smg_subject_kind, smg_period_kind ----
SUBJECT_MEMBER = 1
SUBJECT_TEAM = 2
SUBJECT_COMPANY = 3
PERIOD_RANGE = 1
PERIOD_WEEK = 2
PERIOD_MONTH = 3
PERIOD_QUARTER = 4
PERIOD_YEAR = 5

# ---- other value enums the package uses ----
ROWS_MEMBERS = 1
ROWS_TEAMS = 2
ROWS_ALL = 3
RANGE_PERIOD = 0
RANGE_PREVIOUS = 1
RANGE_YEAR_EARLIER = 2
TIER_METHOD_POLICY = 0
TIER_METHOD_THRESHOLD = 1
TIER_METHOD_PARETO = 2
COMMISSION_MARGINAL = 0
COMMISSION_FLAT = 1
ARRIVAL_NEW = 1
ARRIVAL_NAMED = 2
ARRIVAL_RETURNING = 3
ARRIVAL_REFERRAL = 4
ARRIVAL_PEER = 5
RELEASE_REASON_EXPIRED = 1
RELEASE_REASON_VOIDED = 2
COUNTS = {"teams": 1, "members": 2, "customers": 3, "events": 4, "deals": 5,
          "receivables": 6, "keys": 7, "products": 8, "targets": 9, "profiles": 10,
          "commission_rows": 11, "scorecard_items": 12}
EVENT_SEQ = 0  # smg_event_field: the input position
EV_FAULT = 17  # smg_event_type: a fault's value is a whole count, not hundredths
EV_SUBMIT = 18
SMG_POINTS_NONE = -(2 ** 63)  # an item without a deduction: any fault zeroes it
DEADLINE_NONE = 0
DEADLINE_MONTHLY = 1
DEADLINE_WEEKLY = 2

# ---- option and struct versions ----
ORG_OPTIONS_VERSION = 1
EVENT_VERSION = 1
ATTRIBUTION_OPTIONS_VERSION = 1
KPI_OPTIONS_VERSION = 1
KPI_INDEX_OPTIONS_VERSION = 1
TARGETS_OPTIONS_VERSION = 1
TIERS_OPTIONS_VERSION = 1
VISITS_OPTIONS_VERSION = 1
PAY_OPTIONS_VERSION = 1
ROTATION_DAY_OPTIONS_VERSION = 1
SCORECARD_OPTIONS_VERSION = 1


# ---- structures (common.h and the option structs) ----
class Allocator(Structure):
    _fields_ = [("malloc_fn", c_void_p), ("realloc_fn", c_void_p), ("free_fn", c_void_p),
                ("opaque", c_void_p)]


class Subject(Structure):
    _fields_ = [("kind", c_int), ("index", c_size_t)]


class Period(Structure):
    _fields_ = [("kind", c_int), ("from_", c_int32), ("to", c_int32)]


class OrgOptions(Structure):
    _fields_ = [("version", c_uint), ("allocator", Allocator), ("max_errors", c_size_t)]


class Event(Structure):
    _fields_ = [("version", c_uint), ("type", c_int), ("at", c_int64), ("member", c_char_p),
                ("customer", c_char_p), ("ref", c_char_p), ("amount", c_int64),
                ("list_amount", c_int64), ("cost", c_int64), ("product", c_char_p),
                ("channel", c_int), ("outcome", c_int), ("value", c_int64), ("id", c_char_p)]


class AttributionOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("until", c_int64)]


class KpiOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p),
                ("period", Period), ("rows", c_uint), ("subject", P(Subject)),
                ("index", c_void_p)]


class KpiIndexOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p)]


class TargetsOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("period", Period)]


class TiersOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p),
                ("method", c_int), ("window", Period)]


class VisitsOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p),
                ("method", c_int), ("as_of", c_int32)]


class PayOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p),
                ("month", Period)]


class RotationDayOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("attribution", c_void_p),
                ("day", c_int32)]


class Deadline(Structure):
    _fields_ = [("kind", c_int), ("day", c_int)]


class ScorecardOptions(Structure):
    _fields_ = [("version", c_uint), ("as_member", c_char_p), ("month", Period)]


# Every structure by its C name, for the layout check of the tests.
STRUCTS = {
    "smg_allocator": Allocator, "smg_subject": Subject, "smg_period": Period,
    "smg_org_options": OrgOptions, "smg_event": Event,
    "smg_attribution_options": AttributionOptions, "smg_kpi_options": KpiOptions,
    "smg_kpi_index_options": KpiIndexOptions, "smg_targets_options": TargetsOptions,
    "smg_tiers_options": TiersOptions, "smg_visits_options": VisitsOptions,
    "smg_pay_options": PayOptions, "smg_rotation_day_options": RotationDayOptions,
    "smg_deadline": Deadline, "smg_scorecard_options": ScorecardOptions,
}

# ---- every public function: name -> (restype, argtypes), by header ----
PROTOTYPES = {
    # attribution.h
    "smg_reason_name": (c_char_p, [c_int]),
    "smg_attribution_options_init": (c_int, [P(AttributionOptions), c_uint]),
    "smg_attribution_compute": (c_int, [P(c_void_p), c_void_p, P(AttributionOptions)]),
    "smg_attribution_free": (None, [c_void_p]),
    "smg_attribution_update": (c_int, [c_void_p, c_void_p]),
    "smg_attribution_deal_count": (c_size_t, [c_void_p]),
    "smg_attribution_deal_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_attribution_deal_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_attribution_deal_field_name": (c_char_p, [c_int]),
    "smg_attribution_deal_field_type": (c_int, [c_int]),
    "smg_notice_kind_name": (c_char_p, [c_int]),
    "smg_release_reason_name": (c_char_p, [c_int]),
    "smg_reject_reason_name": (c_char_p, [c_int]),
    "smg_arrival_name": (c_char_p, [c_int]),
    "smg_attribution_notice_count": (c_size_t, [c_void_p]),
    "smg_attribution_notice_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_attribution_notice_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_attribution_notice_field_name": (c_char_p, [c_int]),
    "smg_attribution_notice_field_type": (c_int, [c_int]),
    "smg_attribution_protection_count": (c_size_t, [c_void_p]),
    "smg_attribution_protection_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_attribution_protection_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_attribution_protection_field_name": (c_char_p, [c_int]),
    "smg_attribution_protection_field_type": (c_int, [c_int]),
    "smg_attribution_protection_find": (c_int, [c_void_p, c_size_t, P(c_size_t)]),
    "smg_attribution_expiring": (c_int, [c_void_p, c_int32, c_int, P(c_size_t), c_size_t, P(c_size_t)]),
    "smg_attribution_registration_count": (c_size_t, [c_void_p]),
    "smg_attribution_registration_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_attribution_registration_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_attribution_registration_field_name": (c_char_p, [c_int]),
    "smg_attribution_registration_field_type": (c_int, [c_int]),
    "smg_deal_id": (c_char_p, [c_void_p, c_size_t]),
    # calendar.h
    "smg_date_make": (c_int, [P(c_int32), c_int, c_int, c_int]),
    "smg_date_split": (c_int, [c_int32, P(c_int), P(c_int), P(c_int)]),
    "smg_date_parse": (c_int, [P(c_int32), c_char_p]),
    "smg_date_format": (c_int, [c_char_p, c_size_t, c_int32]),
    "smg_date_weekday": (c_int, [c_int32]),
    "smg_days_in_month": (c_int, [c_int, c_int]),
    "smg_date_add_months": (c_int, [P(c_int32), c_int32, c_int]),
    "smg_time_parse": (c_int, [P(c_int64), c_char_p]),
    "smg_time_format": (c_int, [c_char_p, c_size_t, c_int64]),
    "smg_time_day": (c_int32, [c_int64]),
    "smg_period_range": (c_int, [P(Period), c_int32, c_int32]),
    "smg_period_day": (c_int, [P(Period), c_int32]),
    "smg_period_week": (c_int, [P(Period), c_int32]),
    "smg_period_month": (c_int, [P(Period), c_int, c_int]),
    "smg_period_quarter": (c_int, [P(Period), c_int, c_int]),
    "smg_period_year": (c_int, [P(Period), c_int]),
    "smg_period_parse": (c_int, [P(Period), c_char_p]),
    "smg_period_format": (c_int, [c_char_p, c_size_t, P(Period)]),
    "smg_period_check": (c_int, [P(Period)]),
    "smg_period_previous": (c_int, [P(Period), P(Period)]),
    # common.h
    "smg_strerror": (c_char_p, [c_int]),
    "smg_version": (c_int, []),
    "smg_version_string": (c_char_p, []),
    # customer.h
    "smg_customer_add": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "smg_customer_find": (c_int, [c_void_p, c_char_p, P(c_size_t)]),
    "smg_customer_id": (c_char_p, [c_void_p, c_size_t]),
    "smg_customer_name": (c_char_p, [c_void_p, c_size_t]),
    "smg_customer_phone": (c_char_p, [c_void_p, c_size_t]),
    "smg_key_text": (c_char_p, [c_void_p, c_size_t]),
    "smg_customer_count": (c_size_t, [c_void_p]),
    "smg_customer_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_customer_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_customer_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_customer_field_name": (c_char_p, [c_int]),
    "smg_customer_field_type": (c_int, [c_int]),
    "smg_phone_normalise": (c_int, [c_char_p, c_size_t, c_char_p]),
    # dataset.h
    "smg_dataset_load": (c_int, [c_void_p, c_char_p]),
    "smg_dataset_count": (c_size_t, [c_void_p]),
    "smg_dataset_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_dataset_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_dataset_field_name": (c_char_p, [c_int]),
    "smg_dataset_field_type": (c_int, [c_int]),
    # event.h
    "smg_event_type_parse": (c_int, [P(c_int), c_char_p]),
    "smg_event_type_name": (c_char_p, [c_int]),
    "smg_channel_parse": (c_int, [P(c_int), c_char_p]),
    "smg_channel_name": (c_char_p, [c_int]),
    "smg_outcome_parse": (c_int, [P(c_int), c_char_p]),
    "smg_outcome_name": (c_char_p, [c_int]),
    "smg_event_init": (c_int, [P(Event), c_uint]),
    "smg_event_add": (c_int, [c_void_p, P(Event)]),
    "smg_event_count": (c_size_t, [c_void_p]),
    "smg_event_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_event_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_event_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_event_field_name": (c_char_p, [c_int]),
    "smg_event_field_type": (c_int, [c_int]),
    "smg_event_find": (c_int, [c_void_p, c_char_p, P(c_size_t)]),
    "smg_event_position": (c_int, [c_void_p, c_size_t, P(c_size_t)]),
    # kpi.h
    "smg_kpi_field_name": (c_char_p, [c_int]),
    "smg_kpi_field_type": (c_int, [c_int]),
    "smg_kpi_field_parse": (c_int, [P(c_int), c_char_p]),
    "smg_kpi_options_init": (c_int, [P(KpiOptions), c_uint]),
    "smg_kpi_compute": (c_int, [P(c_void_p), c_void_p, P(KpiOptions)]),
    "smg_kpi_compute_many": (c_int, [P(c_void_p), c_void_p, P(KpiOptions), P(Period), c_size_t]),
    "smg_kpi_index_options_init": (c_int, [P(KpiIndexOptions), c_uint]),
    "smg_kpi_index_build": (c_int, [P(c_void_p), c_void_p, P(KpiIndexOptions)]),
    "smg_kpi_index_update": (c_int, [c_void_p, c_void_p]),
    "smg_kpi_index_free": (None, [c_void_p]),
    "smg_kpi_report_free": (None, [c_void_p]),
    "smg_kpi_count": (c_size_t, [c_void_p]),
    "smg_kpi_subject": (c_int, [c_void_p, c_size_t, P(Subject)]),
    "smg_kpi_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_kpi_double": (c_int, [c_void_p, c_size_t, c_int, P(c_double), P(c_int)]),
    "smg_kpi_report_period": (c_int, [c_void_p, c_int, P(Period)]),
    "smg_kpi_report_merge": (c_int, [c_void_p, c_void_p]),
    # money.h
    "smg_money_parse": (c_int, [P(c_int64), c_char_p]),
    "smg_money_format": (c_int, [c_char_p, c_size_t, c_int64]),
    "smg_money_muldiv": (c_int, [P(c_int64), c_int64, c_int64, c_int64]),
    # org.h
    "smg_org_options_init": (c_int, [P(OrgOptions), c_uint]),
    "smg_org_new": (c_int, [P(c_void_p), P(OrgOptions)]),
    "smg_org_free": (None, [c_void_p]),
    "smg_org_errmsg": (c_char_p, [c_void_p]),
    "smg_org_error_count": (c_size_t, [c_void_p]),
    "smg_org_error": (c_char_p, [c_void_p, c_size_t]),
    "smg_org_error_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_org_error_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_org_error_field_name": (c_char_p, [c_int]),
    "smg_org_error_field_type": (c_int, [c_int]),
    "smg_org_warning_count": (c_size_t, [c_void_p]),
    "smg_org_warning": (c_char_p, [c_void_p, c_size_t]),
    "smg_batch_begin": (c_int, [c_void_p]),
    "smg_batch_commit": (c_int, [c_void_p]),
    "smg_batch_rollback": (None, [c_void_p]),
    "smg_org_count": (c_size_t, [c_void_p, c_int]),
    "smg_org_reserve": (c_int, [c_void_p, c_int, c_size_t]),
    # pay.h
    "smg_commission_add": (c_int, [c_void_p, c_char_p, c_int64, c_int64, c_int]),
    "smg_pay_options_init": (c_int, [P(PayOptions), c_uint]),
    "smg_pay_field_name": (c_char_p, [c_int]),
    "smg_pay_field_type": (c_int, [c_int]),
    "smg_pay_compute": (c_int, [P(c_void_p), c_void_p, P(PayOptions)]),
    "smg_pay_report_free": (None, [c_void_p]),
    "smg_pay_count": (c_size_t, [c_void_p]),
    "smg_pay_subject": (c_int, [c_void_p, c_size_t, P(Subject)]),
    "smg_pay_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_pay_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_pay_double": (c_int, [c_void_p, c_size_t, c_int, P(c_double), P(c_int)]),
    # policy.h
    "smg_policy_set": (c_int, [c_void_p, c_char_p, c_char_p]),
    "smg_policy_get": (c_int, [c_void_p, c_char_p, c_char_p, c_size_t]),
    "smg_policy_name": (c_char_p, [c_size_t]),
    "smg_policy_check": (c_int, [c_void_p]),
    "smg_policy_load": (c_int, [c_void_p, c_char_p]),
    "smg_policy_reset": (None, [c_void_p]),
    # rotation.h
    "smg_rotation_new": (c_int, [P(c_void_p), c_void_p]),
    "smg_rotation_free": (None, [c_void_p]),
    "smg_rotation_signin": (c_int, [c_void_p, c_char_p]),
    "smg_rotation_arrive": (c_int, [c_void_p, c_int, c_char_p, P(c_size_t), P(c_int)]),
    "smg_rotation_done": (c_int, [c_void_p, c_char_p]),
    "smg_rotation_busy": (c_int, [c_void_p, c_char_p, P(c_int)]),
    "smg_rotation_order": (c_int, [c_void_p, P(c_size_t), c_size_t, P(c_size_t)]),
    "smg_rotation_day_options_init": (c_int, [P(RotationDayOptions), c_uint]),
    "smg_rotation_day_compute": (c_int, [P(c_void_p), c_void_p, P(RotationDayOptions)]),
    "smg_rotation_day_free": (None, [c_void_p]),
    "smg_rotation_day_order": (c_int, [c_void_p, c_int, P(c_size_t), c_size_t, P(c_size_t)]),
    "smg_rotation_day_count": (c_size_t, [c_void_p]),
    "smg_rotation_day_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_rotation_day_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_rotation_day_field_name": (c_char_p, [c_int]),
    "smg_rotation_day_field_type": (c_int, [c_int]),
    # scorecard.h
    "smg_deadline_parse": (c_int, [P(Deadline), c_char_p]),
    "smg_deadline_format": (c_int, [c_char_p, c_size_t, P(Deadline)]),
    "smg_scorecard_item_add": (c_int, [c_void_p, c_char_p, c_char_p, c_int64, c_int64, c_uint,
                                       P(Deadline)]),
    "smg_scorecard_item_find": (c_int, [c_void_p, c_char_p, P(c_size_t)]),
    "smg_scorecard_item_id": (c_char_p, [c_void_p, c_size_t]),
    "smg_scorecard_item_count": (c_size_t, [c_void_p]),
    "smg_scorecard_item_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_scorecard_item_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_scorecard_item_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_scorecard_item_field_name": (c_char_p, [c_int]),
    "smg_scorecard_item_field_type": (c_int, [c_int]),
    "smg_score_source_name": (c_char_p, [c_int]),
    "smg_scorecard_options_init": (c_int, [P(ScorecardOptions), c_uint]),
    "smg_scorecard_compute": (c_int, [P(c_void_p), c_void_p, P(ScorecardOptions)]),
    "smg_scorecard_free": (None, [c_void_p]),
    "smg_scorecard_member_count": (c_size_t, [c_void_p]),
    "smg_scorecard_member_subject": (c_int, [c_void_p, c_size_t, P(Subject)]),
    "smg_scorecard_member_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_scorecard_member_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_scorecard_member_double": (c_int, [c_void_p, c_size_t, c_int, P(c_double), P(c_int)]),
    "smg_scorecard_member_field_name": (c_char_p, [c_int]),
    "smg_scorecard_member_field_type": (c_int, [c_int]),
    "smg_scorecard_line_count": (c_size_t, [c_void_p]),
    "smg_scorecard_line_subject": (c_int, [c_void_p, c_size_t, P(Subject)]),
    "smg_scorecard_line_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_scorecard_line_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_scorecard_line_double": (c_int, [c_void_p, c_size_t, c_int, P(c_double), P(c_int)]),
    "smg_scorecard_line_field_name": (c_char_p, [c_int]),
    "smg_scorecard_line_field_type": (c_int, [c_int]),
    # target.h
    "smg_metric_parse": (c_int, [P(c_int), c_char_p]),
    "smg_metric_name": (c_char_p, [c_int]),
    "smg_metric_is_money": (c_int, [c_int]),
    "smg_profile_add": (c_int, [c_void_p, c_char_p, P(c_int64)]),
    "smg_target_add": (c_int, [c_void_p, P(Subject), c_int, P(Period), c_int64, c_char_p]),
    "smg_target_get": (c_int, [c_void_p, P(Subject), c_int, P(Period), P(c_int64), P(c_int)]),
    "smg_targets_options_init": (c_int, [P(TargetsOptions), c_uint]),
    "smg_targets_compute": (c_int, [P(c_void_p), c_void_p, P(TargetsOptions)]),
    "smg_targets_free": (None, [c_void_p]),
    "smg_targets_count": (c_size_t, [c_void_p]),
    "smg_targets_subject": (c_int, [c_void_p, c_size_t, P(Subject)]),
    "smg_targets_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_targets_field_name": (c_char_p, [c_int]),
    "smg_targets_field_type": (c_int, [c_int]),
    # team.h
    "smg_role_parse": (c_int, [P(c_int), c_char_p]),
    "smg_role_name": (c_char_p, [c_int]),
    "smg_team_add": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p]),
    "smg_team_set_leader": (c_int, [c_void_p, c_char_p, c_char_p]),
    "smg_team_find": (c_int, [c_void_p, c_char_p, P(c_size_t)]),
    "smg_team_id": (c_char_p, [c_void_p, c_size_t]),
    "smg_team_name": (c_char_p, [c_void_p, c_size_t]),
    "smg_team_count": (c_size_t, [c_void_p]),
    "smg_team_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_team_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_team_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_team_field_name": (c_char_p, [c_int]),
    "smg_team_field_type": (c_int, [c_int]),
    "smg_member_add": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, c_int]),
    "smg_member_set_dates": (c_int, [c_void_p, c_char_p, c_int32, c_int32]),
    "smg_member_set_pay_total": (c_int, [c_void_p, c_char_p, c_int64]),
    "smg_member_find": (c_int, [c_void_p, c_char_p, P(c_size_t)]),
    "smg_member_id": (c_char_p, [c_void_p, c_size_t]),
    "smg_member_name": (c_char_p, [c_void_p, c_size_t]),
    "smg_member_count": (c_size_t, [c_void_p]),
    "smg_member_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_member_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_member_text": (c_int, [c_void_p, c_size_t, c_int, P(c_char_p), P(c_int)]),
    "smg_member_field_name": (c_char_p, [c_int]),
    "smg_member_field_type": (c_int, [c_int]),
    "smg_subject_parse": (c_int, [P(Subject), c_void_p, c_char_p]),
    "smg_subject_format": (c_int, [c_char_p, c_size_t, c_void_p, P(Subject)]),
    "smg_subject_check": (c_int, [c_void_p, P(Subject)]),
    # tiers.h
    "smg_tier_name": (c_char_p, [c_int, c_char_p]),
    "smg_tiers_options_init": (c_int, [P(TiersOptions), c_uint]),
    "smg_tiers_window_as_of": (c_int, [P(Period), c_int32]),
    "smg_tiers_compute": (c_int, [P(c_void_p), c_void_p, P(TiersOptions)]),
    "smg_tiers_free": (None, [c_void_p]),
    "smg_tiers_window": (c_int, [c_void_p, P(Period)]),
    "smg_tiers_method": (c_int, [c_void_p, P(c_int)]),
    "smg_tiers_count": (c_size_t, [c_void_p]),
    "smg_tiers_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_tiers_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_tiers_field_name": (c_char_p, [c_int]),
    "smg_tiers_field_type": (c_int, [c_int]),
    "smg_visits_options_init": (c_int, [P(VisitsOptions), c_uint]),
    "smg_visits_compute": (c_int, [P(c_void_p), c_void_p, P(VisitsOptions)]),
    "smg_visits_free": (None, [c_void_p]),
    "smg_visits_as_of": (c_int, [c_void_p, P(c_int32)]),
    "smg_visits_count": (c_size_t, [c_void_p]),
    "smg_visits_index": (c_int, [c_void_p, c_size_t, c_int, P(c_size_t), P(c_int)]),
    "smg_visits_int": (c_int, [c_void_p, c_size_t, c_int, P(c_int64), P(c_int)]),
    "smg_visits_field_name": (c_char_p, [c_int]),
    "smg_visits_field_type": (c_int, [c_int]),
}


class LibraryNotFound(OSError):
    """libsalesmgmt.so.0 could not be loaded from any of the places tried."""


_lock = threading.Lock()
_lib = None
_path = None


def _candidates():
    """(path, explicit) pairs in the order of the lookup."""
    env = os.environ.get("SALESMGMT_LIBRARY")
    if env:
        return [(env, True)]
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.path.normpath(os.path.join(here, os.pardir, os.pardir, os.pardir, "build",
                                          LIBRARY_NAME))
    names = [LIBRARY_NAME]
    if sys.platform == "darwin":
        names = ["libsalesmgmt.0.dylib"]
    elif sys.platform == "win32":
        names = ["salesmgmt-0.dll", "libsalesmgmt-0.dll"]
    out = []
    if os.path.exists(build):
        out.append((build, False))
    out.extend((n, False) for n in names)
    return out


def _bind(lib):
    """Give every function its prototype; a missing one means a library
    older than this package."""
    missing = []
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    return missing


def load_library():
    """The loaded CDLL (loaded, checked and bound on the first call)."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        lib = None
        for path, explicit in _candidates():
            try:
                lib = ctypes.CDLL(path)
                _path = path
                break
            except OSError as e:
                tried.append("%s (%s)" % (path, e))
                if explicit:
                    break
        if lib is None:
            raise LibraryNotFound(
                "libsalesmgmt could not be loaded; tried: " + "; ".join(tried) +
                ". Set SALESMGMT_LIBRARY=/path/to/libsalesmgmt.so.0, build the library "
                "in <repo>/build, or install it where the dynamic linker finds it.")
        check_version(lib, _path)
        missing = _bind(lib)
        if missing:
            from ._errors import VersionError
            raise VersionError(SMG_EVERSION, "%s lacks %d functions of the 0.%d API (%s, ...)"
                               % (_path, len(missing), NEED_MINOR, missing[0]))
        _lib = lib
        return lib


def check_version(lib, path):
    """Raise VersionError unless the library is 0.x with x >= NEED_MINOR."""
    from ._errors import VersionError
    try:
        fn = lib.smg_version
    except AttributeError:
        raise VersionError(SMG_EVERSION, "%s is not libsalesmgmt (no smg_version)" % path)
    fn.restype = c_int
    fn.argtypes = []
    v = fn()
    major, minor = v // 10000, v // 100 % 100
    if major != NEED_MAJOR or minor < NEED_MINOR:
        raise VersionError(SMG_EVERSION,
                           "libsalesmgmt %d.%d.%d at %s does not fit this binding, which needs "
                           "%d.%d or a later %d.x" % (major, minor, v % 100, path, NEED_MAJOR,
                                                      NEED_MINOR, NEED_MAJOR))
    return v


def library_path():
    """The path (or name) the library was loaded from."""
    load_library()
    return _path
