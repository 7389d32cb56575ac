// SPDX-License-Identifier: MIT
/*
 * GNU ld scripts in place of a shared library. A development package may install libNAME.so as a
 * few lines of text (Debian's libc.so on both machines, libm.so on x86_64) that tell the linker
 * which files -lNAME means; dlopen() refuses them ("invalid ELF header"). Resolution follows
 * such a script to the libraries it names: this file finds, reads and parses it. The script is
 * input like any file: bounded in size, and every byte checked by the lexer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "load/ld_script.h"

#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#else
#error "libllext runs on x86_64 and aarch64"
#endif

enum tok { TOK_END, TOK_WORD, TOK_OPEN, TOK_CLOSE, TOK_SEMI, TOK_BAD };

struct lexer {
	const char *start, *p, *end;
	size_t tok_at;       /* offset of the last token, for messages */
	char word[PATH_MAX]; /* the last TOK_WORD, NUL-terminated */
};

static bool is_space(char c)
{
	/* Commas separate a list's entries as blanks do. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == ',';
}

/* Skips blanks and comments; false on a comment that never ends. */
static bool skip_blanks(struct lexer *lx)
{
	for (;;) {
		while (lx->p < lx->end && is_space(*lx->p)) {
			lx->p++;
		}
		if (lx->end - lx->p < 2 || lx->p[0] != '/' || lx->p[1] != '*') {
			return true;
		}
		const char *close = NULL;

		for (const char *q = lx->p + 2; q + 1 < lx->end; q++) {
			if (q[0] == '*' && q[1] == '/') {
				close = q;
				break;
			}
		}
		if (!close) {
			return false;
		}
		lx->p = close + 2;
	}
}

static bool ends_word(const struct lexer *lx, const char *q)
{
	return is_space(*q) || *q == '(' || *q == ')' || *q == ';' ||
	       (*q == '/' && q + 1 < lx->end && q[1] == '*');
}

/* A file name, bare or in double quotes, into lx->word; TOK_BAD if too long or holding a NUL. */
static enum tok lex_word(struct lexer *lx)
{
	bool quoted = *lx->p == '"';
	const char *q = lx->p + quoted;
	size_t n = 0;

	for (; q < lx->end && (quoted ? *q != '"' : !ends_word(lx, q)); q++) {
		if (*q == '\0' || n + 1 >= sizeof(lx->word)) {
			return TOK_BAD;
		}
		lx->word[n++] = *q;
	}
	if (quoted && q == lx->end) {
		return TOK_BAD;
	}
	lx->word[n] = '\0';
	lx->p = q + quoted;
	return n ? TOK_WORD : TOK_BAD;
}

static enum tok next(struct lexer *lx)
{
	if (!skip_blanks(lx)) {
		lx->tok_at = (size_t)(lx->p - lx->start);
		return TOK_BAD;
	}
	lx->tok_at = (size_t)(lx->p - lx->start);
	if (lx->p == lx->end) {
		return TOK_END;
	}
	switch (*lx->p) {
	case '(':
		lx->p++;
		return TOK_OPEN;
	case ')':
		lx->p++;
		return TOK_CLOSE;
	case ';':
		lx->p++;
		return TOK_SEMI;
	default:
		return lex_word(lx);
	}
}

/* The entries of INPUT(...), GROUP(...) or, once nested, AS_NEEDED(...), up to its ')'. */
static int parse_list(struct lexer *lx, bool as_needed, llext_ld_script_entry_fn fn, void *ctx)
{
	for (;;) {
		enum tok t = next(lx);

		if (t == TOK_CLOSE) {
			return 0;
		}
		if (t != TOK_WORD) {
			return -EINVAL;
		}
		if (strcmp(lx->word, "AS_NEEDED") == 0) {
			if (as_needed || next(lx) != TOK_OPEN) {
				return -EINVAL;
			}
			int ret = parse_list(lx, true, fn, ctx);

			if (ret) {
				return ret;
			}
			continue;
		}
		int ret = fn(ctx, lx->word, as_needed);

		if (ret) {
			return ret;
		}
	}
}

/* The arguments of a command that says nothing about which libraries to open. */
static int skip_args(struct lexer *lx)
{
	for (;;) {
		enum tok t = next(lx);

		if (t == TOK_CLOSE) {
			return 0;
		}
		if (t != TOK_WORD) {
			return -EINVAL;
		}
	}
}

static bool is_skipped_command(const char *w)
{
	static const char *const skipped[] = {"OUTPUT_FORMAT", "OUTPUT_ARCH", "TARGET",
	                                      "SEARCH_DIR"};

	for (size_t i = 0; i < ARRAY_SIZE(skipped); i++) {
		if (strcmp(w, skipped[i]) == 0) {
			return true;
		}
	}
	return false;
}

int llext_ld_script_parse(const char *text, size_t len, llext_ld_script_entry_fn fn, void *ctx,
                          size_t *where)
{
	struct lexer *lx = llext_malloc(sizeof(*lx)); /* PATH_MAX bytes: not on the stack */
	int ret = 0;

	if (!lx) {
		return -ENOMEM;
	}
	lx->start = lx->p = text;
	lx->end = text + len;
	lx->tok_at = 0;
	for (enum tok t; !ret && (t = next(lx)) != TOK_END;) {
		bool input;

		if (t == TOK_SEMI) {
			continue;
		}
		input = t == TOK_WORD &&
		        (strcmp(lx->word, "INPUT") == 0 || strcmp(lx->word, "GROUP") == 0);
		if (t != TOK_WORD || (!input && !is_skipped_command(lx->word)) ||
		    next(lx) != TOK_OPEN) {
			ret = -EINVAL;
			break;
		}
		ret = input ? parse_list(lx, false, fn, ctx) : skip_args(lx);
	}
	if (where) {
		*where = lx->tok_at;
	}
	free(lx);
	return ret;
}

/* Writes @dir/@name to @path if that is a file; false otherwise (or if it does not fit). */
static bool try_dir(const char *dir, size_t dir_len, const char *name, char *path, size_t size)
{
	struct stat st;
	int n = snprintf(path, size, "%.*s/%s", (int)dir_len, dir, name);

	return n > 0 && (size_t)n < size && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int llext_ld_script_find(const char *name, char *path, size_t size)
{
	static const char *const system_dirs[] = {"/lib/" MULTIARCH, "/usr/lib/" MULTIARCH, "/lib",
	                                          "/usr/lib"};
	/* As the dynamic linker, ignored in a program running with more privileges than its user.
	 */
	const char *env = secure_getenv("LD_LIBRARY_PATH");

	for (const char *d = env; d && *d;) {
		size_t n = strcspn(d, ":");

		if (n && try_dir(d, n, name, path, size)) {
			return 0;
		}
		d += n + (d[n] == ':');
	}
	for (size_t i = 0; i < ARRAY_SIZE(system_dirs); i++) {
		if (try_dir(system_dirs[i], strlen(system_dirs[i]), name, path, size)) {
			return 0;
		}
	}
	return -ENOENT;
}

/* Reads all of @fd (@size bytes, as fstat() said) into a new block. */
static int read_all(int fd, size_t size, char **text)
{
	char *buf = llext_malloc(size + 1);
	size_t got = 0;

	if (!buf) {
		return -ENOMEM;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EIO;
		}
		got += (size_t)n;
	}
	buf[size] = '\0';
	*text = buf;
	return 0;
}

int llext_ld_script_read(const char *path, char **text, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) != 0) {
		ret = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
	} else if (st.st_size > LLEXT_LD_SCRIPT_MAX) {
		ret = -EFBIG;
	} else {
		ret = read_all(fd, (size_t)st.st_size, text);
	}
	close(fd);
	if (ret) {
		return ret;
	}
	*len = (size_t)st.st_size;
	if (*len >= 4 && memcmp(*text, "\177ELF", 4) == 0) {
		free(*text);
		*text = NULL;
		return -ENOEXEC;
	}
	return 0;
}
