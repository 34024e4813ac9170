/* Commission brackets (RULES.md §6): storage and the one-mode-per-table rule. */
#include <stdio.h>
#include <string.h>

#include "salesmgmt/pay.h"
#include "commission.h"
#include "org.h"

void smgi_commission_free(const smg_allocator *a, smgi_commission *c)
{
    smgi_column cols[] = SMGI_COMMISSION_COLUMNS(c);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &c->cap);
    c->count = 0;
}

static int commission_add(smg_org *org, const char *product, smg_money from, int64_t rate,
                          smg_commission_mode mode)
{
    smgi_commission *c = &org->commission;
    const smg_allocator *a = &org->alloc;
    char w[64];
    smgi_column cols[] = SMGI_COMMISSION_COLUMNS(c);
    size_t i, n = c->count;
    long prod = -1;
    if (org->cur_line)
        snprintf(w, sizeof w, "commission.csv:%lu: ", (unsigned long)org->cur_line);
    else
        snprintf(w, sizeof w, "commission row #%lu: ", (unsigned long)n);
    if (!product || !*product)
        return smgi_err(org, SMG_EINVAL, "%scolumn product: a product or * is required", w);
    if (from < 0 || from == SMG_MONEY_NONE)
        return smgi_err(org, SMG_ERANGE, "%scolumn from_amount: must be >= 0", w);
    if (rate < 0 || rate > SMGI_MILLION)
        return smgi_err(org, SMG_ERANGE, "%scolumn rate: must be 0-1", w);
    if (mode != SMG_COMMISSION_MARGINAL && mode != SMG_COMMISSION_FLAT)
        return smgi_err(org, SMG_ERANGE, "%scolumn mode: unknown mode %d", w, (int)mode);
    if (strcmp(product, "*") != 0) {
        size_t p;
        if (smgi_strtab_intern(a, &org->products, product, strlen(product), &p, NULL))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        prod = (long)p;
    }
    for (i = 0; i < n; i++) {
        if (c->product[i] != prod)
            continue;
        if (c->mode[i] != mode)
            return smgi_err(org, SMG_ERULE,
                            "%scolumn mode: table \"%s\" mixes marginal and flat rows", w,
                            product);
        if (c->from[i] == from)
            return smgi_err(org, SMG_EEXISTS,
                            "%scolumn from_amount: table \"%s\" already has this bracket", w,
                            product);
    }
    if (smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &c->cap, n + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    c->product[n] = (int32_t)prod;
    c->from[n] = from;
    c->rate[n] = rate;
    c->mode[n] = (uint8_t)mode;
    c->count++;
    return 0;
}

int smg_commission_add(smg_org *org, const char *product, smg_money from_amount,
                       int64_t rate_millionths, smg_commission_mode mode)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, commission_add(org, product, from_amount, rate_millionths, mode));
}
