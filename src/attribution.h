/* Internal view of an attribution result for the other engines (tiers,
 * visits, kpi, pay). */
#ifndef SMGI_ATTRIBUTION_H
#define SMGI_ATTRIBUTION_H

#include <stdint.h>
#include "salesmgmt/attribution.h"

/* The member responsible for attribution key `key` on day `day`: its
 * protector on that day, else the member last credited with one of its
 * deals up to that day; -1 when none. */
long smgi_attribution_responsible(const smg_attribution *a, size_t key, smg_date day);

#endif
