/* Calendar arithmetic shared by the modules (Howard Hinnant's civil
 * algorithms: exact for the whole proleptic Gregorian calendar). */
#ifndef SMGI_CALENDAR_H
#define SMGI_CALENDAR_H

#include <stdint.h>
#include "salesmgmt/common.h"

/* The day a moment falls on (floor division); inline for the loops that
 * run over every event. smg_time_day() is the public face of it. */
static inline smg_date smgi_day_of(smg_time t)
{
    smg_time q = t / 86400;
    return (smg_date)(q - (t % 86400 < 0));
}

/* Days since 1970-01-01 of y-m-d (no range check). */
int64_t smgi_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The y-m-d of day z (no range check). */
void smgi_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* First day of the month / year holding d, and of the month after. */
smg_date smgi_month_start(smg_date d);
smg_date smgi_next_month_start(smg_date d);
/* Same dates one year earlier (29 February -> 28 February). */
smg_date smgi_year_earlier(smg_date d);
/* Months between the months of a and b (b's month minus a's month). */
int smgi_month_index(smg_date d);  /* year*12 + month-1 */

#endif
