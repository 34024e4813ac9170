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
 * (only members.csv and events.csv are required).
 *
 * All or nothing: on failure nothing is loaded and every error found (up to
 * the org's max_errors) is kept, each as `FILE:LINE: column COL: what`
 * (smg_org_error_count(), smg_org_error()).
 * @return 0; SMG_EIO when a file cannot be read; SMG_EDATA (or the single
 *         error's code) when the data has errors; SMG_ESTATE inside a batch
 * @since 0.2.0
 */
SMG_API int smg_dataset_load(smg_org *org, const char *dir);

SMG_END_DECLS

#endif /* SMG_DATASET_H */
