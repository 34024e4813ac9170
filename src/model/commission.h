/* Commission brackets (commission.c); the table is in org.h. */
#ifndef SMGI_COMMISSION_H
#define SMGI_COMMISSION_H

#include "org.h"

void smgi_commission_free(const smg_allocator *a, smgi_commission *c);

#endif
