/**
 * @file salesmgmt/org.h
 * @brief The root handle: an organisation with its teams, members,
 *        customers, event log and policy; errors; all-or-nothing batches.
 */
#ifndef SMG_ORG_H
#define SMG_ORG_H

#include "common.h"

SMG_BEGIN_DECLS

/** The root handle. Opaque; create with smg_org_new(), free with smg_org_free(). */
typedef struct smg_org smg_org;

/** Version of smg_org_options understood by this library. */
#define SMG_ORG_OPTIONS_VERSION 1

/**
 * Options for smg_org_new(). Initialise with SMG_ORG_OPTIONS_INIT or
 * smg_org_options_init(); fields are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_org_options {
    unsigned version;        /**< SMG_ORG_OPTIONS_VERSION */
    smg_allocator allocator; /**< all NULL = libc malloc/realloc/free */
    size_t max_errors;       /**< errors kept per failed call; 0 = 100 */
} smg_org_options;

#define SMG_ORG_OPTIONS_INIT { SMG_ORG_OPTIONS_VERSION, { 0, 0, 0, 0 }, 0 }

/**
 * Initialise @p opts with defaults for @p version.
 * @return 0, or SMG_EVERSION for an unknown version.
 * @since 0.2.0
 */
SMG_API int smg_org_options_init(smg_org_options *opts, unsigned version);

/**
 * Create an empty organisation with the default policy.
 * @param out  receives the handle (NULL on failure)
 * @param opts options, or NULL for defaults
 * @return 0, SMG_EINVAL, SMG_EVERSION or SMG_ENOMEM
 * @since 0.2.0
 */
SMG_API int smg_org_new(smg_org **out, const smg_org_options *opts);

/** Free an organisation. NULL is accepted. @since 0.2.0 */
SMG_API void smg_org_free(smg_org *org);

/**
 * The message of the last failure on this handle ("" when the last call
 * succeeded). With several errors (a dataset load, an open batch), the
 * first one; smg_org_error(org, smg_org_error_count(org) - 1) is the
 * latest. Valid until the next call on the handle.
 * @since 0.2.0
 */
SMG_API const char *smg_org_errmsg(const smg_org *org);

/**
 * Number of error messages kept from the last failed call: at most the
 * org's max_errors, plus, when more errors were found than that, a closing
 * line "… and N more errors" (so the list says how many there were in all).
 * @since 0.2.0
 */
SMG_API size_t smg_org_error_count(const smg_org *org);

/** Error message @p i of the last failed call, or NULL. @since 0.2.0 */
SMG_API const char *smg_org_error(const smg_org *org, size_t i);

/**
 * The fields of the error table: the messages of smg_org_error(), one row
 * each (smg_org_error_count() rows), with the place each names taken apart.
 * A dataset error reads `FILE:LINE: column COL: what` (DATASET.md
 * "Errors"); an event added through the API is `event #N: column COL: what`.
 * Read with smg_org_error_int() and smg_org_error_text(), as every table
 * (docs/API.md "Reading a result"). Valid until the next call on the handle.
 */
typedef enum smg_org_error_field {
    SMG_ORG_ERROR_FILE = 0,    /**< TEXT: the file ("events.csv", a policy file
                                    as given); null when the message names none */
    SMG_ORG_ERROR_LINE = 1,    /**< INT: its line (1-based); null when none */
    SMG_ORG_ERROR_COLUMN = 2,  /**< TEXT: the column; null when none */
    SMG_ORG_ERROR_MESSAGE = 3, /**< TEXT: what was wrong, the message without
                                    its place (never null) */
    SMG_ORG_ERROR_MORE = 4     /**< INT: on the closing line only, how many
                                    more errors were found than kept; null on
                                    the other rows */
} smg_org_error_field;

/** Read an INT field of error row @p i (see smg_event_int() for the
 *  statuses). @since 0.2.0 */
SMG_API int smg_org_error_int(const smg_org *org, size_t i, smg_org_error_field f,
                              int64_t *out, int *is_null);
/** Read a TEXT field of error row @p i (null: *out = NULL). @since 0.2.0 */
SMG_API int smg_org_error_text(const smg_org *org, size_t i, smg_org_error_field f,
                               const char **out, int *is_null);
/** The JSON key of field @p f ("file", "line", "column", "message",
 *  "more"), or NULL past the last. @since 0.2.0 */
SMG_API const char *smg_org_error_field_name(smg_org_error_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_org_error_field_type(smg_org_error_field f);

/**
 * Number of warnings of the last successful smg_dataset_load(): what it
 * read but ignored, such as a column that is no part of its file's
 * contract (DATASET.md "CSV files"). A warning never fails a load. Kept
 * until the next load (the dataset table of dataset.h has the same life).
 * @since 0.2.0
 */
SMG_API size_t smg_org_warning_count(const smg_org *org);

/** Warning @p i, `FILE:LINE: column COL: what` as errors are, or NULL past
 *  the count. @since 0.2.0 */
SMG_API const char *smg_org_warning(const smg_org *org, size_t i);

/**
 * Start a batch. Until smg_batch_commit(), additions are staged; errors are
 * collected (each failing call still returns its status). A commit that
 * finds any error applies nothing. Outside a batch every call is its own
 * batch. Batches do not nest (SMG_ESTATE).
 * @since 0.2.0
 */
SMG_API int smg_batch_begin(smg_org *org);

/**
 * Validate and apply the batch. On failure (SMG_EDATA when several errors)
 * nothing of the batch is applied and the batch is closed.
 * @since 0.2.0
 */
SMG_API int smg_batch_commit(smg_org *org);

/** Drop everything staged since smg_batch_begin(). @since 0.2.0 */
SMG_API void smg_batch_rollback(smg_org *org);

/** What smg_org_count() counts. */
typedef enum smg_count {
    SMG_COUNT_TEAMS = 1,
    SMG_COUNT_MEMBERS = 2,
    SMG_COUNT_CUSTOMERS = 3,
    SMG_COUNT_EVENTS = 4,
    SMG_COUNT_DEALS = 5,
    SMG_COUNT_RECEIVABLES = 6,
    SMG_COUNT_KEYS = 7,      /**< distinct attribution keys */
    SMG_COUNT_PRODUCTS = 8,
    SMG_COUNT_TARGETS = 9,
    SMG_COUNT_PROFILES = 10,
    SMG_COUNT_COMMISSION_ROWS = 11,
    SMG_COUNT_SCORECARD_ITEMS = 12 /**< scorecard items (salesmgmt/scorecard.h) */
} smg_count;

/** Row count of @p what, including rows staged in an open batch
 *  (0 for an unknown value). @since 0.2.0 */
SMG_API size_t smg_org_count(const smg_org *org, smg_count what);

/**
 * Make room for @p n rows of @p what in all (only SMG_COUNT_EVENTS for
 * now), so that a program that knows its size loads it without the
 * headroom of a growing array: the event log then takes 26 bytes an event
 * (plus the amounts of the few events that carry one, kept apart).
 * A hint: it never drops rows and may be called at any time.
 * @return 0, SMG_EINVAL (another kind of row) or SMG_ENOMEM
 * @since 0.2.0
 */
SMG_API int smg_org_reserve(smg_org *org, smg_count what, size_t n);

/**
 * Save the committed org to @p path as a snapshot: a versioned binary
 * image of everything the engines read — the teams, members, customers,
 * the event log with its ids, lines and cancels, targets, profiles,
 * commission, the scorecard and the policy — each section with a CRC-32C,
 * which smg_org_open() reads back with no parsing. The bytes go to a
 * temporary file beside @p path that is fsync'ed and renamed over it, then
 * the folder is fsync'ed: @p path holds the old file or the new one, never
 * a part of either. Not saved: the errors, the warnings and the dataset
 * table of the last load (smg_dataset_count()). A snapshot is read by the
 * same kind of machine (byte order, 64-bit) that wrote it.
 * @return 0; SMG_EINVAL (NULL); SMG_ESTATE (inside an open batch);
 *         SMG_EIO (the message names the step and the system's reason:
 *         a full disk, a folder that does not exist, no permission)
 * @since 0.3.0
 */
SMG_API int smg_org_save(smg_org *org, const char *path);

/**
 * Open a snapshot written by smg_org_save() as a new org, made with @p opts
 * (NULL: the defaults). As sqlite3_open() does, *out receives a handle
 * whenever one could be made, also when the file cannot be read: the org is
 * then empty and smg_org_errmsg() says what was wrong; free it with
 * smg_org_free() either way.
 * @return 0; SMG_EINVAL (NULL @p out or @p path); SMG_EVERSION (@p opts'
 *         version, or a snapshot made by a newer salesmgmt: the message
 *         gives both format numbers); SMG_ENOTFOUND (no such file);
 *         SMG_EIO (not a regular file, a read error); SMG_EPARSE (not a
 *         snapshot, one made on another kind of machine, truncated — the
 *         message names the section and the byte where the file ends —,
 *         damaged — a section fails its checksum or holds a value out of
 *         range —); SMG_ENOMEM (*out NULL when not even the handle could be
 *         made)
 * @since 0.3.0
 */
SMG_API int smg_org_open(smg_org **out, const char *path, const smg_org_options *opts);

SMG_END_DECLS

#endif /* SMG_ORG_H */
