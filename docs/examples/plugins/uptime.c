// SPDX-License-Identifier: MIT
/*
 * A plugin for plugind.c. It may use only what plugind exports (plugind loads plugins with
 * exports_only), which is its small plugin API: plugind_log() and plugind_ticks.
 *
 * Its constructor and destructor run at llext_bringup() and at unload.
 */
#include "../plugind.h"

static int started_at;

__attribute__((constructor)) static void uptime_ctor(void)
{
	plugind_log("uptime", "constructor ran");
}

__attribute__((destructor)) static void uptime_dtor(void)
{
	plugind_log("uptime", "destructor ran");
}

int plugin_start(void)
{
	started_at = plugind_ticks;
	plugind_log("uptime", "started");
	return 0;
}

void plugin_stop(void)
{
	plugind_log("uptime", plugind_ticks > started_at ? "stopped after a while" : "stopped");
}
