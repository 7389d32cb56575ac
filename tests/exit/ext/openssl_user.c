// SPDX-License-Identifier: MIT
/*
 * A small user of OpenSSL loaded as two extensions, libcrypto and libssl: a TLS context, and
 * SHA-256 of "abc" checked against the digest FIPS 180-2 gives for it. At exit OPENSSL_cleanup()
 * (an atexit() handler of libcrypto's) runs what libssl registered with it.
 */
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

static const char abc_sha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

int main(void)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
	unsigned int len = 0;
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());

	if (!ctx) {
		printf("openssl: SSL_CTX_new failed\n");
		return 1;
	}
	SSL_CTX_free(ctx);
	if (!EVP_Digest("abc", 3, md, &len, EVP_sha256(), NULL)) {
		printf("openssl: EVP_Digest failed\n");
		return 1;
	}
	for (unsigned int i = 0; i < len; i++) {
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	}
	printf("openssl: sha256(abc) %s\n", strcmp(hex, abc_sha256) == 0 ? "matches" : hex);
	return strcmp(hex, abc_sha256) != 0;
}
