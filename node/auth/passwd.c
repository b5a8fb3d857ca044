/*
 * passwd.c - yescrypt hashing and verification through libcrypt.
 */
#include "auth/passwd.h"

#include <crypt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

_Static_assert(PASSWD_MAX < CRYPT_MAX_PASSPHRASE_SIZE, "crypt(3) must take every password we accept");

/* a hash of a random string, made once, that unknown users are checked against */
static char passwd_dummy[PASSWD_HASH_MAX];
static pthread_once_t passwd_dummy_once = PTHREAD_ONCE_INIT;

int
passwd_hash(const char *password, char out[PASSWD_HASH_MAX])
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	int rc = -1;

	if (strlen(password) > PASSWD_MAX)
		return -1;
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL)
		return -1;
	cd = xcalloc(1, sizeof(*cd));
	h = crypt_rn(password, salt, cd, sizeof(*cd));
	if (h != NULL && h[0] == '$' && strlen(h) < PASSWD_HASH_MAX) {
		strcpy(out, h);
		rc = 0;
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

/* passwd_dummy_init - hash random hex text nobody can know */
static void
passwd_dummy_init(void)
{
	unsigned char rnd[24];
	char text[sizeof(rnd) * 2 + 1];

	if (getentropy(rnd, sizeof(rnd)) < 0)
		abort();
	for (size_t i = 0; i < sizeof(rnd); i++)
		sprintf(text + 2 * i, "%02x", rnd[i]);
	if (passwd_hash(text, passwd_dummy) < 0)
		abort();
}

bool
passwd_verify(const char *password, const char *hash)
{
	struct crypt_data *cd;
	const char *h, *want;
	size_t n;
	unsigned char diff = 0;
	bool ok;

	if (strlen(password) > PASSWD_MAX)
		return false;
	pthread_once(&passwd_dummy_once, passwd_dummy_init);
	want = hash != NULL && hash[0] == '$' ? hash : passwd_dummy;
	cd = xcalloc(1, sizeof(*cd));
	h = crypt_rn(password, want, cd, sizeof(*cd));
	n = strlen(want);
	ok = h != NULL && strlen(h) == n;
	for (size_t i = 0; ok && i < n; i++)
		diff |= (unsigned char)(h[i] ^ want[i]);
	ok = ok && diff == 0 && want != passwd_dummy;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

int
passwd_read(int fd, char *out, size_t outlen)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0)
			return -1;
		if (r == 0 || c == '\n')
			break;
		if (n + 1 >= outlen)
			return -1;
		out[n++] = c;
	}
	if (n > 0 && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}
