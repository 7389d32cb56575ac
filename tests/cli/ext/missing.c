// SPDX-License-Identifier: MIT
/* References a function nobody defines: its load fails and names the symbol. */
int llext_cli_nowhere(int v);

int main(int argc, char **argv)
{
	(void)argv;
	return llext_cli_nowhere(argc);
}
