/**
 * @file salesmgmt/common.h
 * @brief Export macro, version, error codes and the scalar types shared by
 *        every part of the libsalesmgmt API.
 *
 * Threading: the library has no global mutable state and no locks.
 * - An org (smg_org) is used by one thread at a time, and that includes
 *   every computation on it: a computation (smg_kpi_compute(),
 *   smg_kpi_compute_many(), smg_kpi_index_build(), pay, tiers, visits,
 *   rotation, targets, the scorecard, attribution) and every read that may
 *   fail with a message writes the org's error list, so two threads may
 *   NOT compute on one org at the same time, even with a shared month
 *   index; give each thread its own org (loaded from the same data) or a
 *   lock around the org. Handles may move between threads.
 * - A finished result handle (a KPI report, a month index, a pay run, ...)
 *   is read-only: it may be READ from several threads at once (its getters,
 *   and a month index passed to computations that each run on their own
 *   org) as long as the org it came from is not changed meanwhile.
 * - Separate orgs are independent: threads may compute on them at once.
 */
#ifndef SMG_COMMON_H
#define SMG_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(SMG_SHARED_BUILD)
#  define SMG_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(SMG_STATIC)
#  define SMG_API __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#  define SMG_API __attribute__((visibility("default")))
#else
#  define SMG_API
#endif

#ifdef __cplusplus
#  define SMG_BEGIN_DECLS extern "C" {
#  define SMG_END_DECLS }
#else
#  define SMG_BEGIN_DECLS
#  define SMG_END_DECLS
#endif

SMG_BEGIN_DECLS

/** @name Version (compile time); compare with smg_version() at run time. */
/**@{*/
#define SMG_VERSION_MAJOR 0
#define SMG_VERSION_MINOR 3
#define SMG_VERSION_PATCH 0
#define SMG_VERSION_STRING "0.3.0"
/** MAJOR*10000 + MINOR*100 + PATCH */
#define SMG_VERSION_NUMBER \
    (SMG_VERSION_MAJOR * 10000 + SMG_VERSION_MINOR * 100 + SMG_VERSION_PATCH)
/**@}*/

/**
 * Status codes. Every function that can fail returns `int`: 0 on success,
 * one of these negative values on failure. The detailed message is on the
 * handle (smg_org_errmsg()).
 */
typedef enum smg_status {
    SMG_OK = 0,
    SMG_EINVAL = -1,    /**< invalid argument (NULL, empty, malformed id) */
    SMG_ENOMEM = -2,    /**< allocation failed */
    SMG_ENOTFOUND = -3, /**< a referenced id does not exist */
    SMG_EEXISTS = -4,   /**< the id is already taken */
    SMG_ERANGE = -5,    /**< a value is outside its accepted range */
    SMG_EPARSE = -6,    /**< text could not be parsed (date, amount, CSV) */
    SMG_EIO = -7,       /**< a file could not be read or written */
    SMG_ESTATE = -8,    /**< call not valid in this state (e.g. batch misuse) */
    SMG_ERULE = -9,     /**< data breaks a business rule (event outside a
                             member's dates, claim before its deal, ...) */
    SMG_EACCESS = -10,  /**< outside what the querying member may see */
    SMG_EVERSION = -11, /**< unknown options/struct version */
    SMG_EDATA = -12     /**< several data errors; see smg_org_error() */
} smg_status;

/** @return a static, human-readable name of a status code; never NULL. */
SMG_API const char *smg_strerror(int status);

/** @return the library version at run time, as SMG_VERSION_NUMBER. */
SMG_API int smg_version(void);

/** @return the library version string at run time, e.g. "0.2.0". */
SMG_API const char *smg_version_string(void);

/** Exact money: integer minor units (分 / cents). */
typedef int64_t smg_money;
/** Marks an absent money value (e.g. a deal without a list amount). */
#define SMG_MONEY_NONE INT64_MIN

/** A calendar day: days since 1970-01-01 (local calendar, no time zone). */
typedef int32_t smg_date;
/** Marks an absent date (e.g. no leave date). */
#define SMG_DATE_NONE INT32_MIN

/** A moment: seconds since 1970-01-01T00:00:00 (local, no time zone). */
typedef int64_t smg_time;
/** Marks an absent moment (e.g. "no limit" in options). */
#define SMG_TIME_NONE INT64_MIN

/**
 * The type of a field of a result table (docs/API.md "Reading a result"):
 * which getter reads it and what its number means. INDEX fields are read
 * with the `_index` getters (size_t); DOUBLE with `_double`; TEXT with
 * `_text` (the org's own tables: ids, names); every other type with `_int`
 * (int64_t).
 */
typedef enum smg_type {
    SMG_TYPE_INDEX = 1,  /**< a member, team, customer, key, deal, scorecard item or log
                              position */
    SMG_TYPE_INT = 2,    /**< a count or a plain integer */
    SMG_TYPE_MONEY = 3,  /**< minor units (smg_money) */
    SMG_TYPE_DATE = 4,   /**< smg_date */
    SMG_TYPE_TIME = 5,   /**< smg_time */
    SMG_TYPE_ENUM = 6,   /**< a value of the value enum the field's doc names */
    SMG_TYPE_BOOL = 7,   /**< 0 or 1 */
    SMG_TYPE_DOUBLE = 8, /**< a rate or a score */
    SMG_TYPE_TEXT = 9    /**< a NUL-terminated UTF-8 text (const char *) */
} smg_type;

/** What a row or a target is about. One enum for every API. */
typedef enum smg_subject_kind {
    SMG_SUBJECT_MEMBER = 1,  /**< a member (index: smg_member_id()) */
    SMG_SUBJECT_TEAM = 2,    /**< a team and its whole subtree (index: smg_team_id()) */
    SMG_SUBJECT_COMPANY = 3  /**< the whole company (index 0, unused) */
} smg_subject_kind;

/** A subject: a member, a team or the company, by index. A plain value:
 *  fill it (`smg_subject s = { SMG_SUBJECT_TEAM, t };`), or parse it with
 *  smg_subject_parse(); smg_subject_check() tells whether it names a member
 *  or team of an org. */
typedef struct smg_subject {
    smg_subject_kind kind;
    size_t index;            /**< member or team index; 0 for the company */
} smg_subject;

/** What a period covers. One enum for every API. */
typedef enum smg_period_kind {
    SMG_PERIOD_RANGE = 1,    /**< FROM..TO, any days */
    SMG_PERIOD_WEEK = 2,     /**< an ISO week, Monday to Sunday ("2026-W05") */
    SMG_PERIOD_MONTH = 3,    /**< "2026-10" */
    SMG_PERIOD_QUARTER = 4,  /**< "2026-Q4" */
    SMG_PERIOD_YEAR = 5      /**< "2026" */
} smg_period_kind;

/** A period: its kind and its days, both inclusive. Make one with
 *  smg_period_month() and its siblings, or smg_period_parse(); a struct
 *  filled by hand is checked by every function that takes it (SMG_EINVAL
 *  when from/to do not match the kind). */
typedef struct smg_period {
    smg_period_kind kind;
    smg_date from;
    smg_date to;
} smg_period;

/** Custom allocator, as in zstd's ZSTD_customMem. All three set, or none. */
typedef struct smg_allocator {
    void *(*malloc_fn)(void *opaque, size_t size);
    void *(*realloc_fn)(void *opaque, void *ptr, size_t size);
    void (*free_fn)(void *opaque, void *ptr);
    void *opaque;
} smg_allocator;

SMG_END_DECLS

#endif /* SMG_COMMON_H */
