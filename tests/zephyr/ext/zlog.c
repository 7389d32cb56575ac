// SPDX-License-Identifier: MIT
/* Logging at every level from a module registered at LOG_LEVEL_DBG (see also zlog_decl.c). */
#include <stdint.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(zlog, LOG_LEVEL_DBG);

void zlog_declared(void);

void test_entry(void)
{
	static const uint8_t bytes[20] = {'L', 'L', 'E', 'X', 'T', 0, 1, 2, 0xff};

	LOG_ERR("error %d", 1);
	LOG_WRN("warning %s", "two");
	LOG_INF("info %" PRIu32, (uint32_t)3);
	LOG_DBG("debug %x", 4u);
	LOG_HEXDUMP_ERR(bytes, 4, "hex err");
	LOG_HEXDUMP_WRN(bytes, 5, "hex wrn");
	LOG_HEXDUMP_INF(bytes, sizeof(bytes), "hex inf");
	LOG_HEXDUMP_DBG(bytes, 1, "hex dbg");
	zlog_declared();
}
EXPORT_SYMBOL(test_entry);
