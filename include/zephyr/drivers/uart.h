/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's UART driver API, for a machine with no UART: the types exist so that code
 * guarded by devicetree tests (which are all false) compiles; there are no functions.
 */
#ifndef ZEPHYR_INCLUDE_DRIVERS_UART_H_
#define ZEPHYR_INCLUDE_DRIVERS_UART_H_

#include <zephyr/autoconf.h>

#include <zephyr/device.h>

/** @brief A UART driver's API (never defined: no UART exists). */
struct uart_driver_api;

#endif /* ZEPHYR_INCLUDE_DRIVERS_UART_H_ */
