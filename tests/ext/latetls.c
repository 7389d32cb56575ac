// SPDX-License-Identifier: MIT
/*
 * A shared library test-tls opens and whose thread-local variable nothing touches before an
 * extension with initial-exec code against it is loaded: its module can still be given static
 * TLS then, as the C library's dynamic linker gives it to a library opened with dlopen().
 */
__thread int llext_test_late_tls = 9;
