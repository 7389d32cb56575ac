/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Where libllext's messages go.
 *
 * @defgroup llext_log Logging
 * @{
 */
#ifndef LLEXT_LOG_H
#define LLEXT_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Severity of a message. */
enum llext_log_level {
	/** An operation failed; the message says what and where. */
	LLEXT_LOG_ERR,
	/** Something looks wrong but the operation goes on. */
	LLEXT_LOG_WRN,
	/** Milestones: an extension loaded or unloaded. */
	LLEXT_LOG_INF,
	/** Details of every step, for debugging the loader or an extension. */
	LLEXT_LOG_DBG,
};

/**
 * @brief A log sink.
 * @param level Severity of the message
 * @param msg The message, one line without a trailing newline
 * @param user The pointer given to llext_set_log()
 */
typedef void (*llext_log_fn_t)(enum llext_log_level level, const char *msg, void *user);

/**
 * @brief Choose where messages go and how many are produced.
 *
 * Messages more detailed than @p max_level are not even formatted. The default sink prints
 * errors to stderr, prefixed with "llext: ". The setting is process-wide; the sink may be called
 * from any thread that calls into libllext, while libllext holds its own locks, so it must not
 * call libllext itself.
 *
 * @param max_level Most detailed level passed to the sink
 * @param fn Sink, or NULL to restore the default
 * @param user Passed to every call of @p fn
 */
void llext_set_log(enum llext_log_level max_level, llext_log_fn_t fn, void *user);

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_LOG_H */
