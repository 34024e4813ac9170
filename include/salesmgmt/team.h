/**
 * @file salesmgmt/team.h
 * @brief The organisation tree (RULES.md §1): teams and their members.
 *
 * Ids are strings of 1–64 bytes without control characters. Rows are kept
 * in insertion order and addressed by a dense index (0 … count-1) for fast
 * iteration; smg_team_find() / smg_member_find() map an id to its index.
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

/** Parse "rep", "leader", "supervisor", "manager", "director". @since 0.1.0 */
SMG_API int smg_role_parse(smg_role *out, const char *s);
/** The lower-case name of a role, or NULL. @since 0.1.0 */
SMG_API const char *smg_role_name(smg_role role);

/**
 * Add a team. @p parent_id NULL or "" makes a root; otherwise the parent
 * must exist (added earlier, possibly in the same batch).
 * @return 0, SMG_EINVAL, SMG_EEXISTS, SMG_ENOTFOUND, SMG_ENOMEM
 * @since 0.1.0
 */
SMG_API int smg_team_add(smg_org *org, const char *team_id, const char *name,
                         const char *parent_id);

/** Make member @p member_id the leader of @p team_id (NULL clears). @since 0.1.0 */
SMG_API int smg_team_set_leader(smg_org *org, const char *team_id,
                                const char *member_id);

/** Index of team @p team_id, or SMG_ENOTFOUND. @since 0.1.0 */
SMG_API int smg_team_find(const smg_org *org, const char *team_id, size_t *index);
/** Id of the team at @p index, or NULL. @since 0.1.0 */
SMG_API const char *smg_team_id(const smg_org *org, size_t index);
/** Name of the team at @p index ("" when none), or NULL. @since 0.1.0 */
SMG_API const char *smg_team_name(const smg_org *org, size_t index);
/** Parent index, or -1 for a root or a bad index. @since 0.1.0 */
SMG_API long smg_team_parent(const smg_org *org, size_t index);
/** Leader's member index, or -1 when none. @since 0.1.0 */
SMG_API long smg_team_leader(const smg_org *org, size_t index);

/**
 * Add a member to a team with a role. Start and leave dates are open until
 * set with smg_member_set_dates().
 * @since 0.1.0
 */
SMG_API int smg_member_add(smg_org *org, const char *member_id, const char *name,
                           const char *team_id, smg_role role);

/**
 * Set the span in which the member's events are accepted (inclusive).
 * SMG_DATE_NONE leaves a side open. Events already logged outside the new
 * span make this fail with SMG_ERULE.
 * @since 0.1.0
 */
SMG_API int smg_member_set_dates(smg_org *org, const char *member_id,
                                 smg_date start, smg_date end);

/** Set the pay total (工资总额); SMG_MONEY_NONE = no pay lines. @since 0.1.0 */
SMG_API int smg_member_set_pay_total(smg_org *org, const char *member_id,
                                     smg_money pay_total);

/** Index of member @p member_id, or SMG_ENOTFOUND. @since 0.1.0 */
SMG_API int smg_member_find(const smg_org *org, const char *member_id, size_t *index);
/** Id of the member at @p index, or NULL. @since 0.1.0 */
SMG_API const char *smg_member_id(const smg_org *org, size_t index);
/** Name of the member at @p index ("" when none), or NULL. @since 0.1.0 */
SMG_API const char *smg_member_name(const smg_org *org, size_t index);
/** Team index of the member, or -1 for a bad index. @since 0.1.0 */
SMG_API long smg_member_team(const smg_org *org, size_t index);
/** Role of the member (SMG_ROLE_REP for a bad index). @since 0.1.0 */
SMG_API smg_role smg_member_role(const smg_org *org, size_t index);
/** Start/leave dates (SMG_DATE_NONE when open). @since 0.1.0 */
SMG_API int smg_member_dates(const smg_org *org, size_t index, smg_date *start,
                             smg_date *end);
/** Pay total, or SMG_MONEY_NONE. @since 0.1.0 */
SMG_API smg_money smg_member_pay_total(const smg_org *org, size_t index);

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
