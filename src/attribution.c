/* placeholder: replaced by the attribution engine */
#include "attribution.h"
#include "org.h"
struct smg_attribution { int unused; };
int smg_attribution_run(smg_org *org, smg_attribution **out) { (void)org; (void)out; return SMG_ESTATE; }
void smg_attribution_free(smg_attribution *a) { (void)a; }
long smgi_attribution_responsible(const smg_attribution *a, size_t key, smg_date day)
{ (void)a; (void)key; (void)day; return -1; }
