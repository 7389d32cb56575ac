/* SPDX-License-Identifier: MIT */
/*
 * The plugin API of plugind.c: what plugind exports with EXPORT_SYMBOL(), and the entry points
 * it looks for in each plugin.
 */
#ifndef PLUGIND_H
#define PLUGIND_H

/* Print a line on plugind's output, prefixed with the plugin's name. */
void plugind_log(const char *plugin, const char *msg);

/* Commands plugind has handled so far. */
extern int plugind_ticks;

/* Entry points: plugin_start() is required, plugin_stop() optional. */
int plugin_start(void);
void plugin_stop(void);

#endif
