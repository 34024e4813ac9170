/* The layout of the library's structs as the C compiler makes them, as
 * JSON: {"smg_period": {"size": 12, "fields": {"kind": 0, ...}}, ...}.
 * tests/python/test_binding.py compares it with the ctypes Structures of
 * bindings/python/salesmgmt/_capi.py: a field added to a struct on one side
 * only, or a type that differs, makes the test fail. */
#include <stddef.h>
#include <stdio.h>

#include <salesmgmt.h>

static int first_struct = 1, first_field;

#define STRUCT(s)                                                                      \
    do {                                                                               \
        printf("%s\"%s\": {\"size\": %lu, \"fields\": {", first_struct ? "" : ", ", #s, \
               (unsigned long)sizeof(s));                                              \
        first_struct = 0;                                                              \
        first_field = 1;                                                               \
    } while (0)
#define FIELD(s, f)                                                                    \
    do {                                                                               \
        printf("%s\"%s\": %lu", first_field ? "" : ", ", #f, (unsigned long)offsetof(s, f)); \
        first_field = 0;                                                               \
    } while (0)
#define END() printf("}}")

int main(void)
{
    printf("{");
    STRUCT(smg_allocator);
    FIELD(smg_allocator, malloc_fn);
    FIELD(smg_allocator, realloc_fn);
    FIELD(smg_allocator, free_fn);
    FIELD(smg_allocator, opaque);
    END();
    STRUCT(smg_subject);
    FIELD(smg_subject, kind);
    FIELD(smg_subject, index);
    END();
    STRUCT(smg_period);
    FIELD(smg_period, kind);
    FIELD(smg_period, from);
    FIELD(smg_period, to);
    END();
    STRUCT(smg_org_options);
    FIELD(smg_org_options, version);
    FIELD(smg_org_options, allocator);
    FIELD(smg_org_options, max_errors);
    END();
    STRUCT(smg_event);
    FIELD(smg_event, version);
    FIELD(smg_event, type);
    FIELD(smg_event, at);
    FIELD(smg_event, member);
    FIELD(smg_event, customer);
    FIELD(smg_event, ref);
    FIELD(smg_event, amount);
    FIELD(smg_event, list_amount);
    FIELD(smg_event, cost);
    FIELD(smg_event, product);
    FIELD(smg_event, channel);
    FIELD(smg_event, outcome);
    FIELD(smg_event, value);
    FIELD(smg_event, id);
    END();
    STRUCT(smg_attribution_options);
    FIELD(smg_attribution_options, version);
    FIELD(smg_attribution_options, as_member);
    FIELD(smg_attribution_options, until);
    END();
    STRUCT(smg_kpi_options);
    FIELD(smg_kpi_options, version);
    FIELD(smg_kpi_options, as_member);
    FIELD(smg_kpi_options, attribution);
    FIELD(smg_kpi_options, period);
    FIELD(smg_kpi_options, rows);
    FIELD(smg_kpi_options, subject);
    FIELD(smg_kpi_options, index);
    END();
    STRUCT(smg_kpi_index_options);
    FIELD(smg_kpi_index_options, version);
    FIELD(smg_kpi_index_options, as_member);
    FIELD(smg_kpi_index_options, attribution);
    END();
    STRUCT(smg_targets_options);
    FIELD(smg_targets_options, version);
    FIELD(smg_targets_options, as_member);
    FIELD(smg_targets_options, period);
    END();
    STRUCT(smg_tiers_options);
    FIELD(smg_tiers_options, version);
    FIELD(smg_tiers_options, as_member);
    FIELD(smg_tiers_options, attribution);
    FIELD(smg_tiers_options, method);
    FIELD(smg_tiers_options, window);
    END();
    STRUCT(smg_visits_options);
    FIELD(smg_visits_options, version);
    FIELD(smg_visits_options, as_member);
    FIELD(smg_visits_options, attribution);
    FIELD(smg_visits_options, method);
    FIELD(smg_visits_options, as_of);
    END();
    STRUCT(smg_pay_options);
    FIELD(smg_pay_options, version);
    FIELD(smg_pay_options, as_member);
    FIELD(smg_pay_options, attribution);
    FIELD(smg_pay_options, month);
    END();
    STRUCT(smg_rotation_day_options);
    FIELD(smg_rotation_day_options, version);
    FIELD(smg_rotation_day_options, as_member);
    FIELD(smg_rotation_day_options, attribution);
    FIELD(smg_rotation_day_options, day);
    END();
    STRUCT(smg_deadline);
    FIELD(smg_deadline, kind);
    FIELD(smg_deadline, day);
    END();
    STRUCT(smg_scorecard_options);
    FIELD(smg_scorecard_options, version);
    FIELD(smg_scorecard_options, as_member);
    FIELD(smg_scorecard_options, month);
    END();
    printf("}\n");
    return 0;
}
