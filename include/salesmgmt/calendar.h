/**
 * @file salesmgmt/calendar.h
 * @brief Dates, times, months, quarters and periods (RULES.md §2, DATASET.md).
 *
 * A date (smg_date) is a count of days since 1970-01-01 in the proleptic
 * Gregorian calendar; a time (smg_time) is seconds since 1970-01-01T00:00.
 * Both are local: there are no time zones. Years 1–9999 are accepted.
 */
#ifndef SMG_CALENDAR_H
#define SMG_CALENDAR_H

#include "common.h"

SMG_BEGIN_DECLS

/** The forms a period text can take (smg_period_kind() tells which). */
typedef enum smg_period_form {
    SMG_PERIOD_YEAR = 1,    /**< "2026" */
    SMG_PERIOD_QUARTER = 2, /**< "2026-Q4" */
    SMG_PERIOD_MONTH = 3,   /**< "2026-10" */
    SMG_PERIOD_RANGE = 4    /**< "2026-10-01..2026-10-15", both days inclusive */
} smg_period_form;

/**
 * Make a date from year, month (1–12) and day (1–31, valid for the month).
 * @return 0, or SMG_ERANGE for an impossible date (2026-02-29, year 0)
 * @since 0.1.0
 */
SMG_API int smg_date_make(int year, int month, int day, smg_date *out);

/**
 * Split a date into year, month and day (any pointer may be NULL).
 * @return 0, or SMG_ERANGE outside years 1–9999
 * @since 0.1.0
 */
SMG_API int smg_date_split(smg_date d, int *year, int *month, int *day);

/**
 * Parse exactly "YYYY-MM-DD".
 * @return 0, SMG_EINVAL (NULL) or SMG_EPARSE (not that form, or no such
 *         day: "2026-02-30")
 * @since 0.1.0
 */
SMG_API int smg_date_parse(const char *s, smg_date *out);

/**
 * Write @p d as "YYYY-MM-DD" (11 bytes with the NUL).
 * @return 10; SMG_EINVAL for a date outside years 1–9999; SMG_ERANGE when
 *         @p len is too small (nothing written beyond @p len)
 * @since 0.1.0
 */
SMG_API int smg_date_format(smg_date d, char *buf, size_t len);

/** Day of the week: 0 = Monday … 6 = Sunday. @since 0.1.0 */
SMG_API int smg_date_weekday(smg_date d);

/** Number of days of @p month (1–12) of @p year, or 0 for a bad month. @since 0.1.0 */
SMG_API int smg_days_in_month(int year, int month);

/**
 * @p d plus @p months calendar months, same day of month, clamped to the
 * last day of the target month (01-31 + 1 month = 02-28 or 02-29).
 * @return 0, or SMG_ERANGE when the result leaves years 1–9999
 * @since 0.1.0
 */
SMG_API int smg_date_add_months(smg_date d, int months, smg_date *out);

/**
 * Parse "YYYY-MM-DD" (00:00), "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS".
 * @since 0.1.0
 */
SMG_API int smg_time_parse(const char *s, smg_time *out);

/**
 * Write @p t as "YYYY-MM-DDTHH:MM:SS" (20 bytes with the NUL).
 * @return 19, SMG_EINVAL (out of range) or SMG_ERANGE (@p len too small)
 * @since 0.1.0
 */
SMG_API int smg_time_format(smg_time t, char *buf, size_t len);

/** The day a moment falls on (rounds towards the past). @since 0.1.0 */
SMG_API smg_date smg_time_day(smg_time t);

/**
 * What kind of period @p s names, without computing it.
 * @return an smg_period_form (> 0), or SMG_EPARSE
 * @since 0.1.0
 */
SMG_API int smg_period_kind(const char *s);

/**
 * The first and last day (inclusive) of the period "YYYY", "YYYY-Qn",
 * "YYYY-MM" or "FROM..TO".
 * @return 0, SMG_EPARSE, or SMG_ERANGE (no such day; TO before FROM)
 * @since 0.1.0
 */
SMG_API int smg_period_parse(const char *s, smg_date *from, smg_date *to);

SMG_END_DECLS

#endif /* SMG_CALENDAR_H */
