/**
 * @file salesmgmt/dataset.h
 * @brief Load a CSV dataset folder (DATASET.md) into an organisation.
 */
#ifndef SMG_DATASET_H
#define SMG_DATASET_H

#include "org.h"

SMG_BEGIN_DECLS

/**
 * Load the dataset in folder @p dir: teams.csv, members.csv, customers.csv,
 * targets.csv, profiles.csv, commission.csv, events.csv and policy.conf
 * (only members.csv and events.csv are required), as DATASET.md "CSV
 * files" has them: UTF-8 (a BOM and CRLF accepted); dates YYYY-MM-DD or
 * YYYY/M/D, times YYYY-MM-DDTHH:MM[:SS], with a space for the T, or
 * YYYY/M/D H:MM[:SS] (Excel's and SQL's forms; smg_time_parse() itself
 * stays strict).
 *
 * A column that is no part of its file's contract is an error when it is
 * a near miss of one (case, '_'/'-'/space, up to two edits: "paytotal",
 * "Pay_Total", "costs"; the message names the column meant), else a warning
 * (smg_org_warning()); a file of the folder whose name is a near miss of a
 * dataset file ("target.csv", "Members.csv") is an error. A file that is
 * not UTF-8 but is GB18030 throughout is one error saying so (convert it
 * first: the command line's --encoding).
 *
 * All or nothing: on failure nothing is loaded and every error found is
 * kept (up to the org's max_errors, then a line saying how many more), each
 * as `FILE:LINE: column COL: what` (smg_org_error_count(), smg_org_error();
 * the places apart: smg_org_error_text()). On success the dataset table
 * below and the warnings tell what was read and what was ignored.
 * @return 0; SMG_EIO when a file cannot be read; SMG_EDATA (or the single
 *         error's code) when the data has errors; SMG_ESTATE inside a batch
 * @since 0.2.0
 */
SMG_API int smg_dataset_load(smg_org *org, const char *dir);

/**
 * The fields of the dataset table: what the last successful
 * smg_dataset_load() on the org read and ignored, a row each, in the order
 * read: a file read (its data rows), followed by a row for each column of
 * its header that was ignored; then a row for each other file of the
 * folder (ignored; hidden files aside). Empty after a failed load; kept
 * until the next load. Read as every table (docs/API.md "Reading a
 * result"): smg_dataset_count(), smg_dataset_int(), smg_dataset_text(),
 * smg_dataset_field_name(), smg_dataset_field_type().
 */
typedef enum smg_dataset_field {
    SMG_DATASET_FILE = 0,    /**< TEXT: the file name ("members.csv") */
    SMG_DATASET_COLUMN = 1,  /**< TEXT: an ignored column (its header name, or
                                  its number when it has none); null on a
                                  file's row */
    SMG_DATASET_ROWS = 2,    /**< INT: the data rows read from the file (rows
                                  of empty cells aside); null for policy.conf,
                                  a column and an ignored file */
    SMG_DATASET_IGNORED = 3  /**< BOOL: the file or column was ignored */
} smg_dataset_field;

/** Rows of the dataset table (0 for NULL). @since 0.2.0 */
SMG_API size_t smg_dataset_count(const smg_org *org);
/** Read an INT or BOOL field of row @p row (see smg_event_int() for the
 *  statuses). @since 0.2.0 */
SMG_API int smg_dataset_int(const smg_org *org, size_t row, smg_dataset_field f, int64_t *out,
                            int *is_null);
/** Read a TEXT field of row @p row (null: *out = NULL). @since 0.2.0 */
SMG_API int smg_dataset_text(const smg_org *org, size_t row, smg_dataset_field f,
                             const char **out, int *is_null);
/** The JSON key of field @p f ("file", "column", "rows", "ignored"), or
 *  NULL past the last. @since 0.2.0 */
SMG_API const char *smg_dataset_field_name(smg_dataset_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_dataset_field_type(smg_dataset_field f);

SMG_END_DECLS

#endif /* SMG_DATASET_H */
