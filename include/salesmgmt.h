/**
 * @file salesmgmt.h
 * @brief libsalesmgmt: a sales organisation's rules — teams, targets,
 *        customer tiers, follow-up attribution, KPIs, the scorecard, scores
 *        and pay.
 *
 * Include this umbrella header; it includes every module header.
 */
#ifndef SALESMGMT_H
#define SALESMGMT_H

#include "salesmgmt/common.h"
#include "salesmgmt/calendar.h"
#include "salesmgmt/money.h"
#include "salesmgmt/org.h"
#include "salesmgmt/team.h"
#include "salesmgmt/customer.h"
#include "salesmgmt/event.h"
#include "salesmgmt/policy.h"
#include "salesmgmt/target.h"
#include "salesmgmt/tiers.h"
#include "salesmgmt/pay.h"
#include "salesmgmt/scorecard.h"
#include "salesmgmt/dataset.h"
#include "salesmgmt/attribution.h"
#include "salesmgmt/kpi.h"
#include "salesmgmt/rotation.h"

#endif /* SALESMGMT_H */
