/* The whole pipeline of an org, shared by tests/test_oom.c,
 * tests/test_threads.c and fuzz/fuzz_pipeline.c (header only, static).
 *
 * pl_run(): load a dataset folder (unless asked not to), then run every
 * engine — attribution, KPIs of every month of the log (from the log and
 * from the month index), compute_many over those months, pay, tiers,
 * visits, the rotation day, targets and the scorecard — and fold every
 * row and field of every result table (read with the generic getters:
 * _count, _subject, _index, _int, _double, _field_name, _field_type) into
 * a 64-bit digest. The first failing call's status is returned, with
 * everything it had built freed. With `check` set, the agreements are
 * checked and abort() on a breach: KPIs from the month index == KPIs from
 * the log for each whole month, compute_many == the single computes. */
#ifndef SMG_TESTS_PIPELINE_H
#define SMG_TESTS_PIPELINE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt.h"

#define PL_MAX_MONTHS 4

static void pl_fold(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 1099511628211ULL;
    }
}
static void pl_fold_i(uint64_t *h, int64_t v) { pl_fold(h, &v, sizeof v); }

#define PL_NO_INDEX(o, r, f, out, n) ((void)(o), (void)(r), (void)(f), (void)(out), (void)(n), -99)
#define PL_NO_DOUBLE PL_NO_INDEX
#define PL_NO_SUBJECT(o, r, out) ((void)(o), (void)(r), (void)(out), -98)

/* Fold table `tag` of result `obj` into *h. */
#define PL_WALK(h, tag, obj, countf, subjf, idxf, intf, dblf, namef, typef, ftype)     \
    do {                                                                               \
        size_t r_, n_ = countf(obj);                                                   \
        unsigned f_;                                                                   \
        pl_fold_i(h, tag);                                                             \
        pl_fold_i(h, (int64_t)n_);                                                     \
        for (r_ = 0; r_ < n_; r_++) {                                                  \
            smg_subject s_ = { (smg_subject_kind)0, 0 };                               \
            int rc_ = subjf(obj, r_, &s_);                                             \
            pl_fold_i(h, rc_);                                                         \
            pl_fold_i(h, (int64_t)s_.kind);                                            \
            pl_fold_i(h, (int64_t)s_.index);                                           \
            for (f_ = 0; namef((ftype)f_); f_++) {                                     \
                smg_type t_ = typef((ftype)f_);                                        \
                int nul_ = 0;                                                          \
                int64_t v_ = 0;                                                        \
                if (t_ == SMG_TYPE_INDEX) {                                            \
                    size_t ix_ = 0;                                                    \
                    rc_ = idxf(obj, r_, (ftype)f_, &ix_, &nul_);                       \
                    v_ = (int64_t)ix_;                                                 \
                } else if (t_ == SMG_TYPE_DOUBLE) {                                    \
                    double d_ = 0;                                                     \
                    rc_ = dblf(obj, r_, (ftype)f_, &d_, &nul_);                        \
                    memcpy(&v_, &d_, sizeof v_);                                       \
                } else if (t_ == SMG_TYPE_TEXT) {                                      \
                    continue;                                                          \
                } else {                                                               \
                    rc_ = intf(obj, r_, (ftype)f_, &v_, &nul_);                        \
                }                                                                      \
                pl_fold_i(h, rc_);                                                     \
                pl_fold_i(h, nul_);                                                    \
                pl_fold_i(h, nul_ ? 0 : v_);                                           \
            }                                                                          \
        }                                                                              \
    } while (0)

static void pl_attribution(uint64_t *h, const smg_attribution *a)
{
    PL_WALK(h, 1, a, smg_attribution_deal_count, PL_NO_SUBJECT, smg_attribution_deal_index,
            smg_attribution_deal_int, PL_NO_DOUBLE, smg_attribution_deal_field_name,
            smg_attribution_deal_field_type, smg_deal_field);
    PL_WALK(h, 2, a, smg_attribution_notice_count, PL_NO_SUBJECT, smg_attribution_notice_index,
            smg_attribution_notice_int, PL_NO_DOUBLE, smg_attribution_notice_field_name,
            smg_attribution_notice_field_type, smg_notice_field);
    PL_WALK(h, 3, a, smg_attribution_protection_count, PL_NO_SUBJECT,
            smg_attribution_protection_index, smg_attribution_protection_int, PL_NO_DOUBLE,
            smg_attribution_protection_field_name, smg_attribution_protection_field_type,
            smg_protection_field);
    PL_WALK(h, 4, a, smg_attribution_registration_count, PL_NO_SUBJECT,
            smg_attribution_registration_index, smg_attribution_registration_int, PL_NO_DOUBLE,
            smg_attribution_registration_field_name, smg_attribution_registration_field_type,
            smg_registration_field);
}

static uint64_t pl_kpi(const smg_kpi_report *k)
{
    uint64_t h = 14695981039346656037ULL;
    PL_WALK(&h, 5, k, smg_kpi_count, smg_kpi_subject, PL_NO_INDEX, smg_kpi_int, smg_kpi_double,
            smg_kpi_field_name, smg_kpi_field_type, smg_kpi_field);
    return h;
}

/* What one run gives. */
typedef struct pl_result {
    uint64_t digest;  /* every table of every result */
    int step;         /* the failing step (1 = load), 0 when all ran */
    size_t months;    /* months of the log computed (at most PL_MAX_MONTHS) */
} pl_result;

/* Run the pipeline on `org` (loading `dir` first unless it is NULL).
 * Returns 0 or the first failing call's status. */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static int pl_run(smg_org *org, const char *dir, int check, pl_result *res)
{
    smg_attribution *a = NULL;
    smg_kpi_index *ix = NULL;
    smg_kpi_report *k = NULL, *many[PL_MAX_MONTHS] = { 0 };
    smg_pay_report *pay = NULL;
    smg_tiers *tiers = NULL;
    smg_visits *visits = NULL;
    smg_rotation_day *day = NULL;
    smg_targets *targets = NULL;
    smg_scorecard *sc = NULL;
    smg_period months[PL_MAX_MONTHS];
    uint64_t kd[PL_MAX_MONTHS];
    size_t nmonths = 0, i, nev;
    smg_date first = 0, last = 0;
    int rc = 0, step = 0, y = 0, m = 0, d = 0;
    uint64_t *h = &res->digest;

    res->digest = 14695981039346656037ULL;
    res->step = 0;
    res->months = 0;
#define PL_STEP(call)                                                                      \
    do {                                                                                   \
        step++;                                                                            \
        rc = (call);                                                                       \
        pl_fold_i(h, rc);                                                                  \
        if (rc)                                                                            \
            goto done;                                                                     \
    } while (0)

    if (dir)
        PL_STEP(smg_dataset_load(org, dir));
    else {
        step++;
        pl_fold_i(h, 0); /* as a load that succeeded */
    }
    nev = smg_event_count(org);
    pl_fold_i(h, (int64_t)nev);
    if (nev) {
        int64_t t0 = 0, t1 = 0;
        if (smg_event_int(org, 0, SMG_EVENT_AT, &t0, NULL) ||
            smg_event_int(org, nev - 1, SMG_EVENT_AT, &t1, NULL))
            abort();
        first = smg_time_day((smg_time)t0);
        last = smg_time_day((smg_time)t1);
        if (smg_date_split(first, &y, &m, &d))
            abort();
        for (; nmonths < PL_MAX_MONTHS; nmonths++) {
            smg_period *p = &months[nmonths];
            if (smg_period_month(p, y, m))
                break;
            if (nmonths && p->from > last)
                break;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    res->months = nmonths;
    {
        smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
        PL_STEP(smg_attribution_compute(&a, org, &o));
        pl_attribution(h, a);
    }
    {
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        o.attribution = a;
        for (i = 0; i < nmonths; i++) {
            o.period = months[i];
            PL_STEP(smg_kpi_compute(&k, org, &o));
            kd[i] = pl_kpi(k);
            pl_fold_i(h, (int64_t)kd[i]);
            smg_kpi_report_free(k);
            k = NULL;
        }
    }
    if (nmonths) {
        smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        io.attribution = a;
        step++;
        rc = smg_kpi_index_build(&ix, org, &io);
        pl_fold_i(h, rc);
        if (rc == SMG_ERANGE)
            rc = 0; /* a sparse log: no index (the same on every run) */
        if (rc)
            goto done;
        o.index = ix;
        for (i = 0; ix && i < nmonths; i++) {
            uint64_t x;
            o.period = months[i];
            PL_STEP(smg_kpi_compute(&k, org, &o));
            x = pl_kpi(k);
            pl_fold_i(h, (int64_t)x);
            if (check && x != kd[i])
                abort(); /* the month index disagrees with the log */
            smg_kpi_report_free(k);
            k = NULL;
        }
    }
    if (nmonths) {
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        o.attribution = a;
        PL_STEP(smg_kpi_compute_many(many, org, &o, months, nmonths));
        for (i = 0; i < nmonths; i++) {
            uint64_t x = pl_kpi(many[i]);
            pl_fold_i(h, (int64_t)x);
            if (check && x != kd[i])
                abort(); /* compute_many disagrees with smg_kpi_compute */
        }
    }
    if (nmonths) {
        smg_pay_options o = SMG_PAY_OPTIONS_INIT;
        o.attribution = a;
        o.month = months[0];
        PL_STEP(smg_pay_compute(&pay, org, &o));
        PL_WALK(h, 6, pay, smg_pay_count, smg_pay_subject, smg_pay_index, smg_pay_int,
                smg_pay_double, smg_pay_field_name, smg_pay_field_type, smg_pay_field);
    }
    if (nev) {
        smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
        if (smg_tiers_window_as_of(&o.window, last))
            abort();
        PL_STEP(smg_tiers_compute(&tiers, org, &o));
        PL_WALK(h, 7, tiers, smg_tiers_count, PL_NO_SUBJECT, smg_tiers_index, smg_tiers_int,
                PL_NO_DOUBLE, smg_tiers_field_name, smg_tiers_field_type, smg_tiers_field);
    }
    if (nev) {
        smg_visits_options o = SMG_VISITS_OPTIONS_INIT;
        o.as_of = last;
        PL_STEP(smg_visits_compute(&visits, org, &o));
        PL_WALK(h, 8, visits, smg_visits_count, PL_NO_SUBJECT, smg_visits_index, smg_visits_int,
                PL_NO_DOUBLE, smg_visits_field_name, smg_visits_field_type, smg_visits_field);
    }
    if (nev) {
        smg_rotation_day_options o = SMG_ROTATION_DAY_OPTIONS_INIT;
        o.day = first;
        PL_STEP(smg_rotation_day_compute(&day, org, &o));
        PL_WALK(h, 9, day, smg_rotation_day_count, PL_NO_SUBJECT, smg_rotation_day_index,
                smg_rotation_day_int, PL_NO_DOUBLE, smg_rotation_day_field_name,
                smg_rotation_day_field_type, smg_reception_field);
    }
    if (nmonths) {
        smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
        o.period = months[0];
        PL_STEP(smg_targets_compute(&targets, org, &o));
        PL_WALK(h, 10, targets, smg_targets_count, smg_targets_subject, PL_NO_INDEX,
                smg_targets_int, PL_NO_DOUBLE, smg_targets_field_name, smg_targets_field_type,
                smg_targets_field);
    }
    if (nmonths) {
        smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
        o.month = months[0];
        PL_STEP(smg_scorecard_compute(&sc, org, &o));
        PL_WALK(h, 11, sc, smg_scorecard_member_count, smg_scorecard_member_subject,
                smg_scorecard_member_index, smg_scorecard_member_int, smg_scorecard_member_double,
                smg_scorecard_member_field_name, smg_scorecard_member_field_type,
                smg_scorecard_member_field);
        PL_WALK(h, 12, sc, smg_scorecard_line_count, smg_scorecard_line_subject,
                smg_scorecard_line_index, smg_scorecard_line_int, smg_scorecard_line_double,
                smg_scorecard_line_field_name, smg_scorecard_line_field_type,
                smg_scorecard_line_field);
    }
    step = 0;
#undef PL_STEP
done:
    res->step = step;
    smg_scorecard_free(sc);
    smg_targets_free(targets);
    smg_rotation_day_free(day);
    smg_visits_free(visits);
    smg_tiers_free(tiers);
    smg_pay_report_free(pay);
    for (i = 0; i < PL_MAX_MONTHS; i++)
        smg_kpi_report_free(many[i]);
    smg_kpi_report_free(k);
    smg_kpi_index_free(ix);
    smg_attribution_free(a);
    return rc;
}

#endif
