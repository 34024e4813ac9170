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

/**
 * Make a date from year, month (1–12) and day (1–31, valid for the month).
 * @return 0, or SMG_ERANGE for an impossible date (2026-02-29, year 0)
 * @since 0.2.0
 */
SMG_API int smg_date_make(smg_date *out, int year, int month, int day);

/**
 * Split a date into year, month and day (any pointer may be NULL).
 * @return 0, or SMG_ERANGE outside years 1–9999
 * @since 0.2.0
 */
SMG_API int smg_date_split(smg_date d, int *year, int *month, int *day);

/**
 * Parse exactly "YYYY-MM-DD".
 * @return 0, SMG_EINVAL (NULL) or SMG_EPARSE (not that form, or no such
 *         day: "2026-02-30")
 * @since 0.2.0
 */
SMG_API int smg_date_parse(smg_date *out, const char *s);

/**
 * Write @p d as "YYYY-MM-DD" (11 bytes with the NUL).
 * @return 10; SMG_EINVAL for a date outside years 1–9999; SMG_ERANGE when
 *         @p len is too small (nothing written beyond @p len)
 * @since 0.2.0
 */
SMG_API int smg_date_format(char *buf, size_t len, smg_date d);

/** Day of the week: 0 = Monday … 6 = Sunday. @since 0.2.0 */
SMG_API int smg_date_weekday(smg_date d);

/** Number of days of @p month (1–12) of @p year, or 0 for a bad month. @since 0.2.0 */
SMG_API int smg_days_in_month(int year, int month);

/**
 * @p d plus @p months calendar months, same day of month, clamped to the
 * last day of the target month (01-31 + 1 month = 02-28 or 02-29).
 * @return 0, or SMG_ERANGE when the result leaves years 1–9999
 * @since 0.2.0
 */
SMG_API int smg_date_add_months(smg_date *out, smg_date d, int months);

/**
 * Parse "YYYY-MM-DD" (00:00), "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS".
 * @since 0.2.0
 */
SMG_API int smg_time_parse(smg_time *out, const char *s);

/**
 * Write @p t as "YYYY-MM-DDTHH:MM:SS" (20 bytes with the NUL).
 * @return 19, SMG_EINVAL (out of range) or SMG_ERANGE (@p len too small)
 * @since 0.2.0
 */
SMG_API int smg_time_format(char *buf, size_t len, smg_time t);

/** The day a moment falls on (rounds towards the past). @since 0.2.0 */
SMG_API smg_date smg_time_day(smg_time t);

/** @name Periods (smg_period)
 * Each returns 0, SMG_EINVAL (NULL @p out) or SMG_ERANGE (no such period
 * in years 1–9999; a range whose end is before its start). @since 0.2.0 */
/**@{*/
SMG_API int smg_period_range(smg_period *out, smg_date from, smg_date to);
/** One day: a range of one day. */
SMG_API int smg_period_day(smg_period *out, smg_date day);
/** The ISO week (Monday–Sunday) that holds @p day. */
SMG_API int smg_period_week(smg_period *out, smg_date day);
SMG_API int smg_period_month(smg_period *out, int year, int month);
SMG_API int smg_period_quarter(smg_period *out, int year, int quarter);
SMG_API int smg_period_year(smg_period *out, int year);
/**@}*/

/**
 * Parse a period: "YYYY", "YYYY-Qn", "YYYY-MM", "YYYY-Www" (ISO week,
 * Monday–Sunday) or "FROM..TO" (dates, both inclusive).
 * @return 0, SMG_EINVAL (NULL), SMG_EPARSE (none of those forms), or
 *         SMG_ERANGE (no such day or week; TO before FROM)
 * @since 0.2.0
 */
SMG_API int smg_period_parse(smg_period *out, const char *s);

/**
 * Write @p p in the form smg_period_parse() reads ("2026-10", "2026-Q4",
 * "2026", "2026-W05", "2026-10-01..2026-10-15"; a day as a one-day range).
 * @return the length; SMG_EINVAL (NULL or not a valid period); SMG_ERANGE
 *         when @p len is too small (24 bytes always suffice)
 * @since 0.2.0
 */
SMG_API int smg_period_format(char *buf, size_t len, const smg_period *p);

/**
 * Check a period made by hand: kind known, from <= to, and from/to the
 * first and last day of the week, month, quarter or year the kind says.
 * @return 0 or SMG_EINVAL
 * @since 0.2.0
 */
SMG_API int smg_period_check(const smg_period *p);

/**
 * The period of the same kind just before @p p: the previous week, month,
 * quarter or year; for a range of N days, the N days before it.
 * @return 0, SMG_EINVAL, or SMG_ERANGE (before year 1)
 * @since 0.2.0
 */
SMG_API int smg_period_previous(smg_period *out, const smg_period *p);

SMG_END_DECLS

#endif /* SMG_CALENDAR_H */
