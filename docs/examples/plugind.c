// SPDX-License-Identifier: MIT
/*
 * plugind: a plugin-loading daemon in miniature.
 *
 *   plugind DIR
 *
 * Loads every "*.o" in DIR (in name order) as an extension, runs its constructors and calls its
 * plugin_start(). Then reads commands from standard input, one per line:
 *
 *   list           name, use count and number of exports of each loaded plugin
 *   load FILE      load one more plugin
 *   unload NAME    call the plugin's plugin_stop() if it has one, then unload it
 *   quit           unload everything and exit (so does the end of the input)
 *
 * Plugins are loaded with exports_only: they can use only the API this program exports with
 * EXPORT_SYMBOL() (plugind.h), not the rest of the process. That is how a daemon keeps its
 * plugins to a documented interface.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/symbol.h>

#include "plugind.h"

/* ---- the plugin API ---- */

int plugind_ticks;

void plugind_log(const char *plugin, const char *msg)
{
	printf("[%s] %s\n", plugin, msg);
}

EXPORT_SYMBOL(plugind_log);
EXPORT_SYMBOL(plugind_ticks);

/* ---- loading and unloading ---- */

/*
 * A plugin's name: its file's base name without ".o", at most LLEXT_MAX_NAME_LEN characters.
 * That is llext-run's rule (llext-run(1)), so a plugin has the same name under both programs.
 */
static void plugin_name(char out[LLEXT_MAX_NAME_LEN + 1], const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 2 && strcmp(base + len - 2, ".o") == 0) {
		len -= 2;
	}
	if (len > LLEXT_MAX_NAME_LEN) {
		len = LLEXT_MAX_NAME_LEN;
	}
	memcpy(out, base, len);
	out[len] = '\0';
}

static int load_plugin(const char *path)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	char name[LLEXT_MAX_NAME_LEN + 1];
	struct llext *ext;
	int (*start)(void);
	int ret;

	plugin_name(name, path);
	param.exports_only = true;
	/* libllext logs why a load fails on stderr (its default log sink). */
	ret = llext_load(&ldr.loader, name, &ext, &param);
	if (ret < 0) {
		printf("plugind: %s: not loaded (%s)\n", path, strerror(-ret));
		return ret;
	}
	if (ret > 0) {
		printf("plugind: %s: a plugin named '%s' is already loaded\n", path, name);
		llext_unload(&ext);
		return -EEXIST;
	}
	llext_bringup(ext);
	start = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "plugin_start");
	if (!start) {
		printf("plugind: %s: no plugin_start(); unloading it\n", path);
		llext_unload(&ext);
		return -ENOENT;
	}
	ret = start();
	if (ret != 0) {
		printf("plugind: %s: plugin_start() failed with %d; unloading it\n", name, ret);
		llext_unload(&ext);
		return ret;
	}
	printf("plugind: %s: loaded\n", name);
	return 0;
}

static int unload_plugin(const char *name)
{
	struct llext *ext = llext_by_name(name);
	void (*stop)(void);

	if (!ext) {
		printf("plugind: no plugin named '%s'\n", name);
		return -ENOENT;
	}
	stop = (void (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "plugin_stop");
	if (stop) {
		stop();
	}
	/* Runs the destructors (teardown happens automatically at the last unload). */
	llext_unload(&ext);
	printf("plugind: %s: unloaded\n", name);
	return 0;
}

static int load_dir(const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	if (n < 0) {
		fprintf(stderr, "plugind: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(list[i]->d_name);

		if (len > 2 && strcmp(list[i]->d_name + len - 2, ".o") == 0) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			load_plugin(path);
		}
		free(list[i]);
	}
	free(list);
	return 0;
}

static int print_one(struct llext *ext, void *arg)
{
	(void)arg;
	printf("%-16s uses %u, exports %zu\n", ext->name, ext->use_count, ext->exp_tab.sym_cnt);
	return 0;
}

/* Records the name of the first plugin and stops the iteration. */
static int first_name(struct llext *ext, void *arg)
{
	snprintf(arg, LLEXT_MAX_NAME_LEN + 1, "%s", ext->name);
	return 1;
}

static void unload_all(void)
{
	char name[LLEXT_MAX_NAME_LEN + 1];

	while (llext_iterate(first_name, name) == 1) {
		unload_plugin(name);
	}
}

int main(int argc, char **argv)
{
	char line[4096];

	if (argc != 2) {
		fprintf(stderr, "Usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (load_dir(argv[1]) != 0) {
		return 1;
	}
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		char *cmd = strtok(line, " \t\n");
		char *arg = strtok(NULL, " \t\n");

		plugind_ticks++;
		if (!cmd) {
			continue;
		} else if (strcmp(cmd, "list") == 0) {
			llext_iterate(print_one, NULL);
		} else if (strcmp(cmd, "load") == 0 && arg) {
			load_plugin(arg);
		} else if (strcmp(cmd, "unload") == 0 && arg) {
			unload_plugin(arg);
		} else if (strcmp(cmd, "quit") == 0) {
			break;
		} else {
			printf("plugind: commands: list, load FILE, unload NAME, quit\n");
		}
		fflush(stdout);
	}
	unload_all();
	return 0;
}
