// SPDX-License-Identifier: MIT
/* A Lua user, default flags: runs a chunk that sums 1..100 and prints it, and a factorial. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

static const char chunk[] = "local s = 0\n"
			    "for i = 1, 100 do s = s + i end\n"
			    "local f = 1\n"
			    "for i = 2, 20 do f = f * i end\n"
			    "print(s, f, string.format('%x', 3054))\n";

int main(int argc, char **argv)
{
	lua_State *L = luaL_newstate();
	int ret;

	if (!L) {
		return 2;
	}
	luaL_openlibs(L);
	ret = luaL_dostring(L, chunk);
	lua_close(L);
	return ret ? 1 : 0;
}
