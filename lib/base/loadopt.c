// SPDX-License-Identifier: MIT
/*
 * The load parameters that a loader needs to see, set by the load driver around the loader's
 * prepare, and what the file loader tells the load back. Thread-local: each load runs on one
 * thread, and loads on others do not see it.
 */
#include "base/base.h"

_Thread_local bool llext_load_no_file_cache;
_Thread_local bool llext_load_refuse_noexec;
_Thread_local const char *llext_load_file;
