/**
 * @file salesmgmt/attribution.h
 * @brief Follow-up attribution (RULES.md §4): who gets the credit for each
 *        deal, and why.
 */
#ifndef SMG_ATTRIBUTION_H
#define SMG_ATTRIBUTION_H

#include "org.h"

SMG_BEGIN_DECLS

/** The result of replaying the event log under R1–R8. Opaque, read-only
 *  once built; may be shared between threads. */
typedef struct smg_attribution smg_attribution;

/**
 * Replay the org's event log under its policy.
 * @since 0.1.0
 */
SMG_API int smg_attribution_run(smg_org *org, smg_attribution **out);

/** Free a result. NULL is accepted. @since 0.1.0 */
SMG_API void smg_attribution_free(smg_attribution *a);

SMG_END_DECLS

#endif /* SMG_ATTRIBUTION_H */
