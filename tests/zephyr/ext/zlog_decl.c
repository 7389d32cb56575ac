// SPDX-License-Identifier: MIT
/* The second file of the zlog module, at the default level: its LOG_DBG() is compiled out. */
#include <zephyr/logging/log.h>

LOG_MODULE_DECLARE(zlog);

void zlog_declared(void)
{
	LOG_INF("declared info");
	LOG_DBG("declared debug, never seen");
}
