/**
 * @file salesmgmt/team.h
 * @brief The organisation tree (RULES.md §1): teams and their members.
 *
 * Ids are strings of 1–64 bytes without control characters or a space at
 * either end (" m001" is an error naming the id, not a new id). Rows are kept
 * in insertion order and addressed by a dense index (0 … count-1) for fast
 * iteration; smg_team_find() / smg_member_find() map an id to its index.
 *
 * The team and member tables are read as every result table is
 * (docs/API.md "Reading a result"), with a `_text` getter for the text
 * fields: smg_team_count(), smg_team_index(), smg_team_int(),
 * smg_team_text(), smg_team_field_name(), smg_team_field_type(), and the
 * same for members. The tables hold the committed rows (inside an open
 * batch, the rows committed before it; a change the batch made to such a
 * row shows at once). A text is valid until the org is next changed.
 */
#ifndef SMG_TEAM_H
#define SMG_TEAM_H

#include "org.h"

SMG_BEGIN_DECLS

/** A member's role. */
typedef enum smg_role {
    SMG_ROLE_REP = 0,        /**< 销售代表 / 销售顾问 */
    SMG_ROLE_LEADER = 1,     /**< 组长 */
    SMG_ROLE_SUPERVISOR = 2, /**< 主管 */
    SMG_ROLE_MANAGER = 3,    /**< 经理 */
    SMG_ROLE_DIRECTOR = 4    /**< 总监 */
} smg_role;

/** Parse "rep", "leader", "supervisor", "manager", "director". @since 0.2.0 */
SMG_API int smg_role_parse(smg_role *out, const char *s);
/** The lower-case name of a role, or NULL. @since 0.2.0 */
SMG_API const char *smg_role_name(smg_role role);

/**
 * Add a team. @p parent_id NULL or "" makes a root; otherwise the parent
 * must exist (added earlier, possibly in the same batch).
 * @return 0, SMG_EINVAL, SMG_EEXISTS, SMG_ENOTFOUND, SMG_ENOMEM
 * @since 0.2.0
 */
SMG_API int smg_team_add(smg_org *org, const char *team_id, const char *name,
                         const char *parent_id);

/** Make member @p member_id the leader of @p team_id (NULL clears). @since 0.2.0 */
SMG_API int smg_team_set_leader(smg_org *org, const char *team_id,
                                const char *member_id);

/** Index of team @p team_id, or SMG_ENOTFOUND. @since 0.2.0 */
SMG_API int smg_team_find(const smg_org *org, const char *team_id, size_t *index);
/** Id of the team at @p index, or NULL. @since 0.2.0 */
SMG_API const char *smg_team_id(const smg_org *org, size_t index);
/** Name of the team at @p index ("" when none), or NULL. @since 0.2.0 */
SMG_API const char *smg_team_name(const smg_org *org, size_t index);

/** The fields of the team table: one row a team, in insertion order. */
typedef enum smg_team_field {
    SMG_TEAM_ID = 0,     /**< TEXT: the team id */
    SMG_TEAM_NAME = 1,   /**< TEXT: its name; null when it has none */
    SMG_TEAM_PARENT = 2, /**< INDEX: the parent team; null for a root */
    SMG_TEAM_LEADER = 3  /**< INDEX: the leader (a member); null when none */
} smg_team_field;

/** Number of committed teams (0 for NULL). @since 0.2.0 */
SMG_API size_t smg_team_count(const smg_org *org);
/**
 * Read an INDEX field of team @p row.
 * @return 0; SMG_EINVAL for a NULL org or @p out, a row past the count, an
 *         unknown field or a field of another type (*out untouched)
 * @since 0.2.0
 */
SMG_API int smg_team_index(const smg_org *org, size_t row, smg_team_field f, size_t *out,
                           int *is_null);
/** Read an INT-family field (the team table has none: SMG_EINVAL). @since 0.2.0 */
SMG_API int smg_team_int(const smg_org *org, size_t row, smg_team_field f, int64_t *out,
                         int *is_null);
/** Read a TEXT field (null: *out = NULL, *is_null = 1). @since 0.2.0 */
SMG_API int smg_team_text(const smg_org *org, size_t row, smg_team_field f, const char **out,
                          int *is_null);
/** The JSON key of field @p f ("id", "name", "parent", "leader"), or NULL
 *  past the last. @since 0.2.0 */
SMG_API const char *smg_team_field_name(smg_team_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_team_field_type(smg_team_field f);

/**
 * Add a member to a team with a role. Start and leave dates are open until
 * set with smg_member_set_dates().
 * @since 0.2.0
 */
SMG_API int smg_member_add(smg_org *org, const char *member_id, const char *name,
                           const char *team_id, smg_role role);

/**
 * Set the span in which the member's events are accepted (inclusive).
 * SMG_DATE_NONE leaves a side open. Events already logged outside the new
 * span make this fail with SMG_ERULE.
 * @since 0.2.0
 */
SMG_API int smg_member_set_dates(smg_org *org, const char *member_id,
                                 smg_date start, smg_date end);

/** Set the pay total (工资总额); SMG_MONEY_NONE = no pay lines. @since 0.2.0 */
SMG_API int smg_member_set_pay_total(smg_org *org, const char *member_id,
                                     smg_money pay_total);

/** Index of member @p member_id, or SMG_ENOTFOUND. @since 0.2.0 */
SMG_API int smg_member_find(const smg_org *org, const char *member_id, size_t *index);
/** Id of the member at @p index, or NULL. @since 0.2.0 */
SMG_API const char *smg_member_id(const smg_org *org, size_t index);
/** Name of the member at @p index ("" when none), or NULL. @since 0.2.0 */
SMG_API const char *smg_member_name(const smg_org *org, size_t index);

/** The fields of the member table: one row a member, in insertion order. */
typedef enum smg_member_field {
    SMG_MEMBER_ID = 0,       /**< TEXT: the member id */
    SMG_MEMBER_NAME = 1,     /**< TEXT: the name; null when none */
    SMG_MEMBER_TEAM = 2,     /**< INDEX: the member's team */
    SMG_MEMBER_ROLE = 3,     /**< ENUM smg_role */
    SMG_MEMBER_START = 4,    /**< DATE: the first day of the member's events; null = open */
    SMG_MEMBER_END = 5,      /**< DATE: the leave date, the last such day; null = open */
    SMG_MEMBER_PAY_TOTAL = 6 /**< MONEY: the pay total (工资总额); null = no pay lines */
} smg_member_field;

/** Number of committed members (0 for NULL). @since 0.2.0 */
SMG_API size_t smg_member_count(const smg_org *org);
/** Read an INDEX field of member @p row (as smg_team_index()). @since 0.2.0 */
SMG_API int smg_member_index(const smg_org *org, size_t row, smg_member_field f, size_t *out,
                             int *is_null);
/** Read an INT-family field (ENUM, DATE, MONEY) of member @p row. @since 0.2.0 */
SMG_API int smg_member_int(const smg_org *org, size_t row, smg_member_field f, int64_t *out,
                           int *is_null);
/** Read a TEXT field of member @p row. @since 0.2.0 */
SMG_API int smg_member_text(const smg_org *org, size_t row, smg_member_field f,
                            const char **out, int *is_null);
/** The JSON key of field @p f ("id", "name", "team", "role", "start", "end",
 *  "pay_total"), or NULL past the last. @since 0.2.0 */
SMG_API const char *smg_member_field_name(smg_member_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_member_field_type(smg_member_field f);

/**
 * Parse a subject: "member:ID", "team:ID" or "company".
 * @return 0, SMG_EINVAL (NULL), SMG_EPARSE (none of those forms) or
 *         SMG_ENOTFOUND (no such member or team)
 * @since 0.2.0
 */
SMG_API int smg_subject_parse(smg_subject *out, const smg_org *org, const char *text);

/**
 * Write @p s as smg_subject_parse() reads it ("member:m01", "team:east",
 * "company").
 * @return the length; SMG_EINVAL (NULL, unknown kind, index past the
 *         count); SMG_ERANGE when @p len is too small (nothing usable written)
 * @since 0.2.0
 */
SMG_API int smg_subject_format(char *buf, size_t len, const smg_org *org, const smg_subject *s);

/** 0 if @p s names a member or team of @p org, or the company; else
 *  SMG_EINVAL. @since 0.2.0 */
SMG_API int smg_subject_check(const smg_org *org, const smg_subject *s);

SMG_END_DECLS

#endif /* SMG_TEAM_H */
