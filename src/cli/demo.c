/* salesmgmt demo: load the bundled sample dataset (examples/data) and print
 * what the library knows about it, section by section. When the sample is
 * not where the build put it, the same sample is generated into a
 * temporary folder first.
 *
 * A new capability adds a section: a function that builds its table from
 * the loaded org and hands it to the document, listed in `sections`. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gen.h"

typedef struct demo_ctx {
    smg_org *org;
    const char *dir;   /* the dataset folder */
    const char *label; /* how the report names it */
    out_format fmt;
} demo_ctx;

/* A section adds itself to @p doc. @return 0, or -1 when out of memory */
typedef int (*demo_section)(const demo_ctx *ctx, out_doc *doc);

/* ---- section: counts ---- */

static int section_counts(const demo_ctx *ctx, out_doc *doc)
{
    static const struct {
        const char *name;
        smg_count what;
    } counts[] = {
        { "teams", SMG_COUNT_TEAMS },
        { "members", SMG_COUNT_MEMBERS },
        { "customers", SMG_COUNT_CUSTOMERS },
        { "keys", SMG_COUNT_KEYS },
        { "events", SMG_COUNT_EVENTS },
        { "deals", SMG_COUNT_DEALS },
        { "receivables", SMG_COUNT_RECEIVABLES },
        { "products", SMG_COUNT_PRODUCTS },
        { "targets", SMG_COUNT_TARGETS },
        { "profiles", SMG_COUNT_PROFILES },
        { "commission_rows", SMG_COUNT_COMMISSION_ROWS },
    };
    out_table *t = out_table_new();
    size_t i;
    int rc;
    out_table_col(t, "dataset", OUT_LEFT);
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        out_table_col(t, counts[i].name, OUT_RIGHT);
    out_table_row(t);
    out_str(t, ctx->label);
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        out_int(t, (long long)smg_org_count(ctx->org, counts[i].what));
    out_doc_record(doc, "counts", "The dataset", t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: events per type ---- */

/* The library keeps no per-type counts that the public API shows, so the
 * demo reads the type column of events.csv itself (RFC 4180 quoting, a
 * leading BOM). Returns the field read, its length in *len, and whether a
 * row ended (*eol) or the file did (NULL). */
static const char *csv_field(FILE *f, char *buf, size_t cap, size_t *len, int *eol)
{
    size_t n = 0;
    int c, quoted = 0;
    *eol = 0;
    c = getc(f);
    if (c == EOF)
        return NULL;
    if (c == '"') {
        quoted = 1;
        c = getc(f);
    }
    for (;; c = getc(f)) {
        if (c == EOF) {
            *eol = 1;
            break;
        }
        if (quoted) {
            if (c == '"') {
                c = getc(f);
                if (c != '"') {
                    quoted = 0;
                    ungetc(c, f);
                    continue;
                }
            }
        } else if (c == ',') {
            break;
        } else if (c == '\n') {
            *eol = 1;
            break;
        } else if (c == '\r') {
            continue;
        }
        if (n + 1 < cap)
            buf[n++] = (char)c;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

#define NTYPES 17 /* smg_event_type values 1..16, 0 for unknown */

static int count_types(const char *dir, unsigned long counts[NTYPES])
{
    char path[4096], buf[256];
    size_t len, col = 0, type_col = (size_t)-1;
    int eol, header = 1;
    FILE *f;
    snprintf(path, sizeof path, "%s/events.csv", dir);
    f = fopen(path, "rb");
    if (!f)
        return -1;
    while (csv_field(f, buf, sizeof buf, &len, &eol)) {
        const char *s = buf;
        if (header && col == 0 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
            (unsigned char)s[2] == 0xbf)
            s += 3;
        if (header && strcmp(s, "type") == 0)
            type_col = col;
        else if (!header && col == type_col) {
            smg_event_type t;
            counts[smg_event_type_parse(s, &t) == 0 && (int)t < NTYPES ? (int)t : 0]++;
        }
        col++;
        if (eol) {
            header = 0;
            col = 0;
        }
    }
    fclose(f);
    return 0;
}

static int section_event_types(const demo_ctx *ctx, out_doc *doc)
{
    unsigned long counts[NTYPES] = { 0 };
    out_table *t;
    int i, rc;
    if (count_types(ctx->dir, counts))
        return 0; /* nothing to show */
    t = out_table_new();
    out_table_col(t, "type", OUT_LEFT);
    out_table_col(t, "events", OUT_RIGHT);
    for (i = 1; i < NTYPES; i++) {
        out_table_row(t);
        out_str(t, smg_event_type_name((smg_event_type)i));
        out_int(t, (long long)counts[i]);
    }
    out_doc_table(doc, "event_types", "Events by type", t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: the team tree ---- */

typedef struct tree {
    const smg_org *org;
    size_t nteams;
    size_t *direct;  /* members per team */
    size_t *subtree; /* members in the team's whole subtree */
    out_table *t;
    out_format fmt;
} tree;

static void tree_rows(tree *tr, long parent, int depth)
{
    size_t i;
    for (i = 0; i < tr->nteams; i++) {
        long leader;
        if (smg_team_parent(tr->org, i) != parent)
            continue;
        leader = smg_team_leader(tr->org, i);
        out_table_row(tr->t);
        out_str(tr->t, smg_team_id(tr->org, i));
        if (tr->fmt == OUT_TABLE) { /* the tree shows as indentation */
            char name[512];
            snprintf(name, sizeof name, "%*s%s", depth * 2, "", smg_team_name(tr->org, i));
            out_str(tr->t, name);
        } else {
            out_str(tr->t, smg_team_name(tr->org, i));
        }
        out_str(tr->t, parent < 0 ? NULL : smg_team_id(tr->org, (size_t)parent));
        out_str(tr->t, leader < 0 ? NULL : smg_member_id(tr->org, (size_t)leader));
        out_str(tr->t, leader < 0 ? NULL : smg_member_name(tr->org, (size_t)leader));
        out_int(tr->t, (long long)tr->direct[i]);
        out_int(tr->t, (long long)tr->subtree[i]);
        if (depth < 64)
            tree_rows(tr, (long)i, depth + 1);
    }
}

static int section_teams(const demo_ctx *ctx, out_doc *doc)
{
    tree tr;
    size_t i, nm = smg_org_count(ctx->org, SMG_COUNT_MEMBERS);
    int rc = 0;
    tr.org = ctx->org;
    tr.nteams = smg_org_count(ctx->org, SMG_COUNT_TEAMS);
    tr.fmt = ctx->fmt;
    tr.direct = calloc(tr.nteams + 1, sizeof *tr.direct);
    tr.subtree = calloc(tr.nteams + 1, sizeof *tr.subtree);
    tr.t = out_table_new();
    if (!tr.direct || !tr.subtree || !tr.t) {
        rc = -1;
        goto done;
    }
    for (i = 0; i < nm; i++) {
        long team = smg_member_team(ctx->org, i), depth = 0;
        if (team < 0 || (size_t)team >= tr.nteams)
            continue;
        tr.direct[team]++;
        for (; team >= 0 && depth <= (long)tr.nteams; depth++) {
            tr.subtree[team]++;
            team = smg_team_parent(ctx->org, (size_t)team);
        }
    }
    out_table_col(tr.t, "team", OUT_LEFT);
    out_table_col(tr.t, "name", OUT_LEFT);
    out_table_col(tr.t, "parent", OUT_LEFT);
    out_table_col(tr.t, "leader", OUT_LEFT);
    out_table_col(tr.t, "leader_name", OUT_LEFT);
    out_table_col(tr.t, "members", OUT_RIGHT);
    out_table_col(tr.t, "subtree_members", OUT_RIGHT);
    tree_rows(&tr, -1, 0);
    out_doc_table(doc, "teams", "Teams", tr.t);
done:
    out_table_free(tr.t);
    free(tr.direct);
    free(tr.subtree);
    return rc;
}

/* The report, in order. */
static const demo_section sections[] = {
    section_counts,
    section_event_types,
    section_teams,
};

/* ---- finding the sample ---- */

static int has_dataset(const char *dir)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/members.csv", dir);
    f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void remove_generated(const char *dir)
{
    char path[4096];
    size_t i;
    for (i = 0; gen_files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, gen_files[i]);
        remove(path);
    }
    rmdir(dir);
}

int cmd_demo(int argc, char **argv)
{
    const char *format = NULL, *dir = NULL;
    int generate = 0, rc;
    const cli_option opts[] = {
        { "format", &format, NULL },
        { "generate", NULL, &generate },
        { NULL, NULL, NULL },
    };
    static const char *const bundled[] = {
#ifdef SMG_SOURCE_DIR
        SMG_SOURCE_DIR "/examples/data",
#endif
#ifdef SMG_DATA_DIR
        SMG_DATA_DIR,
#endif
        NULL,
    };
    static const gen_params sample = GEN_PARAMS_SAMPLE;
    char tmp[4096];
    demo_ctx ctx;
    out_doc doc;
    size_t i;

    if ((rc = cli_parse(argc, argv, opts, NULL, 0, 0, NULL)) ||
        (rc = cli_format(argv[0], format, &ctx.fmt)))
        return rc;
    for (i = 0; !generate && bundled[i] && !dir; i++)
        if (has_dataset(bundled[i]))
            dir = bundled[i];
    tmp[0] = 0;
    if (!dir) {
        const char *base = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/salesmgmt-demo-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmp)) {
            fprintf(stderr, "salesmgmt demo: cannot create a temporary folder: %s\n",
                    strerror(errno));
            return CLI_IO;
        }
        if ((rc = gen_dataset(argv[0], tmp, &sample))) {
            remove_generated(tmp);
            return rc;
        }
        dir = tmp;
    }
    rc = cli_load(argv[0], dir, NULL, &ctx.org);
    if (rc == CLI_OK) {
        ctx.dir = dir;
        ctx.label = tmp[0] ? "(generated sample)" : dir;
        out_doc_begin(&doc, stdout, ctx.fmt);
        for (i = 0; i < sizeof sections / sizeof sections[0] && rc == CLI_OK; i++)
            if (sections[i](&ctx, &doc))
                rc = CLI_IO;
        if (out_doc_end(&doc) && rc == CLI_OK)
            rc = CLI_IO;
        smg_org_free(ctx.org);
    }
    if (tmp[0])
        remove_generated(tmp);
    return rc;
}
