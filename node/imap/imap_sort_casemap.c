/*
 * imap_sort_casemap.c - the i;unicode-casemap canonical form (RFC 5051)
 * that SORT and THREAD compare strings in (imap_sort.h).
 *
 * Each character becomes its simple titlecase mapping, fully decomposed
 * (NFKD). ASCII letters are upper-cased in code; the table holds every
 * other character from U+0080 to U+052F whose form differs from itself,
 * taken from the Unicode Character Database. Other characters, and bytes
 * that are not UTF-8, are copied as they are.
 */
#include "imap/imap_sort.h"

#include <stdlib.h>

#define MAP_LAST	0x52F	/* the highest code point the table covers */

struct casemap {
	uint16_t cp;
	const char *to;		/* UTF-8 */
};

/* sorted by cp */
static const struct casemap casemap[] = {
	{ 0x00A0, " " }, { 0x00A8, " \xcc\x88" }, { 0x00AA, "a" }, { 0x00AF, " \xcc\x84" }, { 0x00B2, "2" },
	{ 0x00B3, "3" }, { 0x00B4, " \xcc\x81" }, { 0x00B5, "\xce\x9c" }, { 0x00B8, " \xcc\xa7" },
	{ 0x00B9, "1" }, { 0x00BA, "o" }, { 0x00BC, "1\xe2\x81\x84" "4" }, { 0x00BD, "1\xe2\x81\x84" "2" },
	{ 0x00BE, "3\xe2\x81\x84" "4" }, { 0x00C0, "A\xcc\x80" }, { 0x00C1, "A\xcc\x81" },
	{ 0x00C2, "A\xcc\x82" }, { 0x00C3, "A\xcc\x83" }, { 0x00C4, "A\xcc\x88" }, { 0x00C5, "A\xcc\x8a" },
	{ 0x00C7, "C\xcc\xa7" }, { 0x00C8, "E\xcc\x80" }, { 0x00C9, "E\xcc\x81" }, { 0x00CA, "E\xcc\x82" },
	{ 0x00CB, "E\xcc\x88" }, { 0x00CC, "I\xcc\x80" }, { 0x00CD, "I\xcc\x81" }, { 0x00CE, "I\xcc\x82" },
	{ 0x00CF, "I\xcc\x88" }, { 0x00D1, "N\xcc\x83" }, { 0x00D2, "O\xcc\x80" }, { 0x00D3, "O\xcc\x81" },
	{ 0x00D4, "O\xcc\x82" }, { 0x00D5, "O\xcc\x83" }, { 0x00D6, "O\xcc\x88" }, { 0x00D9, "U\xcc\x80" },
	{ 0x00DA, "U\xcc\x81" }, { 0x00DB, "U\xcc\x82" }, { 0x00DC, "U\xcc\x88" }, { 0x00DD, "Y\xcc\x81" },
	{ 0x00E0, "A\xcc\x80" }, { 0x00E1, "A\xcc\x81" }, { 0x00E2, "A\xcc\x82" }, { 0x00E3, "A\xcc\x83" },
	{ 0x00E4, "A\xcc\x88" }, { 0x00E5, "A\xcc\x8a" }, { 0x00E6, "\xc3\x86" }, { 0x00E7, "C\xcc\xa7" },
	{ 0x00E8, "E\xcc\x80" }, { 0x00E9, "E\xcc\x81" }, { 0x00EA, "E\xcc\x82" }, { 0x00EB, "E\xcc\x88" },
	{ 0x00EC, "I\xcc\x80" }, { 0x00ED, "I\xcc\x81" }, { 0x00EE, "I\xcc\x82" }, { 0x00EF, "I\xcc\x88" },
	{ 0x00F0, "\xc3\x90" }, { 0x00F1, "N\xcc\x83" }, { 0x00F2, "O\xcc\x80" }, { 0x00F3, "O\xcc\x81" },
	{ 0x00F4, "O\xcc\x82" }, { 0x00F5, "O\xcc\x83" }, { 0x00F6, "O\xcc\x88" }, { 0x00F8, "\xc3\x98" },
	{ 0x00F9, "U\xcc\x80" }, { 0x00FA, "U\xcc\x81" }, { 0x00FB, "U\xcc\x82" }, { 0x00FC, "U\xcc\x88" },
	{ 0x00FD, "Y\xcc\x81" }, { 0x00FE, "\xc3\x9e" }, { 0x00FF, "Y\xcc\x88" }, { 0x0100, "A\xcc\x84" },
	{ 0x0101, "A\xcc\x84" }, { 0x0102, "A\xcc\x86" }, { 0x0103, "A\xcc\x86" }, { 0x0104, "A\xcc\xa8" },
	{ 0x0105, "A\xcc\xa8" }, { 0x0106, "C\xcc\x81" }, { 0x0107, "C\xcc\x81" }, { 0x0108, "C\xcc\x82" },
	{ 0x0109, "C\xcc\x82" }, { 0x010A, "C\xcc\x87" }, { 0x010B, "C\xcc\x87" }, { 0x010C, "C\xcc\x8c" },
	{ 0x010D, "C\xcc\x8c" }, { 0x010E, "D\xcc\x8c" }, { 0x010F, "D\xcc\x8c" }, { 0x0111, "\xc4\x90" },
	{ 0x0112, "E\xcc\x84" }, { 0x0113, "E\xcc\x84" }, { 0x0114, "E\xcc\x86" }, { 0x0115, "E\xcc\x86" },
	{ 0x0116, "E\xcc\x87" }, { 0x0117, "E\xcc\x87" }, { 0x0118, "E\xcc\xa8" }, { 0x0119, "E\xcc\xa8" },
	{ 0x011A, "E\xcc\x8c" }, { 0x011B, "E\xcc\x8c" }, { 0x011C, "G\xcc\x82" }, { 0x011D, "G\xcc\x82" },
	{ 0x011E, "G\xcc\x86" }, { 0x011F, "G\xcc\x86" }, { 0x0120, "G\xcc\x87" }, { 0x0121, "G\xcc\x87" },
	{ 0x0122, "G\xcc\xa7" }, { 0x0123, "G\xcc\xa7" }, { 0x0124, "H\xcc\x82" }, { 0x0125, "H\xcc\x82" },
	{ 0x0127, "\xc4\xa6" }, { 0x0128, "I\xcc\x83" }, { 0x0129, "I\xcc\x83" }, { 0x012A, "I\xcc\x84" },
	{ 0x012B, "I\xcc\x84" }, { 0x012C, "I\xcc\x86" }, { 0x012D, "I\xcc\x86" }, { 0x012E, "I\xcc\xa8" },
	{ 0x012F, "I\xcc\xa8" }, { 0x0130, "I\xcc\x87" }, { 0x0131, "I" }, { 0x0132, "IJ" }, { 0x0133, "IJ" },
	{ 0x0134, "J\xcc\x82" }, { 0x0135, "J\xcc\x82" }, { 0x0136, "K\xcc\xa7" }, { 0x0137, "K\xcc\xa7" },
	{ 0x0139, "L\xcc\x81" }, { 0x013A, "L\xcc\x81" }, { 0x013B, "L\xcc\xa7" }, { 0x013C, "L\xcc\xa7" },
	{ 0x013D, "L\xcc\x8c" }, { 0x013E, "L\xcc\x8c" }, { 0x013F, "L\xc2\xb7" }, { 0x0140, "L\xc2\xb7" },
	{ 0x0142, "\xc5\x81" }, { 0x0143, "N\xcc\x81" }, { 0x0144, "N\xcc\x81" }, { 0x0145, "N\xcc\xa7" },
	{ 0x0146, "N\xcc\xa7" }, { 0x0147, "N\xcc\x8c" }, { 0x0148, "N\xcc\x8c" }, { 0x0149, "\xca\xbcn" },
	{ 0x014B, "\xc5\x8a" }, { 0x014C, "O\xcc\x84" }, { 0x014D, "O\xcc\x84" }, { 0x014E, "O\xcc\x86" },
	{ 0x014F, "O\xcc\x86" }, { 0x0150, "O\xcc\x8b" }, { 0x0151, "O\xcc\x8b" }, { 0x0153, "\xc5\x92" },
	{ 0x0154, "R\xcc\x81" }, { 0x0155, "R\xcc\x81" }, { 0x0156, "R\xcc\xa7" }, { 0x0157, "R\xcc\xa7" },
	{ 0x0158, "R\xcc\x8c" }, { 0x0159, "R\xcc\x8c" }, { 0x015A, "S\xcc\x81" }, { 0x015B, "S\xcc\x81" },
	{ 0x015C, "S\xcc\x82" }, { 0x015D, "S\xcc\x82" }, { 0x015E, "S\xcc\xa7" }, { 0x015F, "S\xcc\xa7" },
	{ 0x0160, "S\xcc\x8c" }, { 0x0161, "S\xcc\x8c" }, { 0x0162, "T\xcc\xa7" }, { 0x0163, "T\xcc\xa7" },
	{ 0x0164, "T\xcc\x8c" }, { 0x0165, "T\xcc\x8c" }, { 0x0167, "\xc5\xa6" }, { 0x0168, "U\xcc\x83" },
	{ 0x0169, "U\xcc\x83" }, { 0x016A, "U\xcc\x84" }, { 0x016B, "U\xcc\x84" }, { 0x016C, "U\xcc\x86" },
	{ 0x016D, "U\xcc\x86" }, { 0x016E, "U\xcc\x8a" }, { 0x016F, "U\xcc\x8a" }, { 0x0170, "U\xcc\x8b" },
	{ 0x0171, "U\xcc\x8b" }, { 0x0172, "U\xcc\xa8" }, { 0x0173, "U\xcc\xa8" }, { 0x0174, "W\xcc\x82" },
	{ 0x0175, "W\xcc\x82" }, { 0x0176, "Y\xcc\x82" }, { 0x0177, "Y\xcc\x82" }, { 0x0178, "Y\xcc\x88" },
	{ 0x0179, "Z\xcc\x81" }, { 0x017A, "Z\xcc\x81" }, { 0x017B, "Z\xcc\x87" }, { 0x017C, "Z\xcc\x87" },
	{ 0x017D, "Z\xcc\x8c" }, { 0x017E, "Z\xcc\x8c" }, { 0x017F, "S" }, { 0x0180, "\xc9\x83" },
	{ 0x0183, "\xc6\x82" }, { 0x0185, "\xc6\x84" }, { 0x0188, "\xc6\x87" }, { 0x018C, "\xc6\x8b" },
	{ 0x0192, "\xc6\x91" }, { 0x0195, "\xc7\xb6" }, { 0x0199, "\xc6\x98" }, { 0x019A, "\xc8\xbd" },
	{ 0x019E, "\xc8\xa0" }, { 0x01A0, "O\xcc\x9b" }, { 0x01A1, "O\xcc\x9b" }, { 0x01A3, "\xc6\xa2" },
	{ 0x01A5, "\xc6\xa4" }, { 0x01A8, "\xc6\xa7" }, { 0x01AD, "\xc6\xac" }, { 0x01AF, "U\xcc\x9b" },
	{ 0x01B0, "U\xcc\x9b" }, { 0x01B4, "\xc6\xb3" }, { 0x01B6, "\xc6\xb5" }, { 0x01B9, "\xc6\xb8" },
	{ 0x01BD, "\xc6\xbc" }, { 0x01BF, "\xc7\xb7" }, { 0x01C4, "Dz\xcc\x8c" }, { 0x01C5, "Dz\xcc\x8c" },
	{ 0x01C6, "Dz\xcc\x8c" }, { 0x01C7, "Lj" }, { 0x01C8, "Lj" }, { 0x01C9, "Lj" }, { 0x01CA, "Nj" },
	{ 0x01CB, "Nj" }, { 0x01CC, "Nj" }, { 0x01CD, "A\xcc\x8c" }, { 0x01CE, "A\xcc\x8c" },
	{ 0x01CF, "I\xcc\x8c" }, { 0x01D0, "I\xcc\x8c" }, { 0x01D1, "O\xcc\x8c" }, { 0x01D2, "O\xcc\x8c" },
	{ 0x01D3, "U\xcc\x8c" }, { 0x01D4, "U\xcc\x8c" }, { 0x01D5, "U\xcc\x88\xcc\x84" },
	{ 0x01D6, "U\xcc\x88\xcc\x84" }, { 0x01D7, "U\xcc\x88\xcc\x81" }, { 0x01D8, "U\xcc\x88\xcc\x81" },
	{ 0x01D9, "U\xcc\x88\xcc\x8c" }, { 0x01DA, "U\xcc\x88\xcc\x8c" }, { 0x01DB, "U\xcc\x88\xcc\x80" },
	{ 0x01DC, "U\xcc\x88\xcc\x80" }, { 0x01DD, "\xc6\x8e" }, { 0x01DE, "A\xcc\x88\xcc\x84" },
	{ 0x01DF, "A\xcc\x88\xcc\x84" }, { 0x01E0, "A\xcc\x87\xcc\x84" }, { 0x01E1, "A\xcc\x87\xcc\x84" },
	{ 0x01E2, "\xc3\x86\xcc\x84" }, { 0x01E3, "\xc3\x86\xcc\x84" }, { 0x01E5, "\xc7\xa4" },
	{ 0x01E6, "G\xcc\x8c" }, { 0x01E7, "G\xcc\x8c" }, { 0x01E8, "K\xcc\x8c" }, { 0x01E9, "K\xcc\x8c" },
	{ 0x01EA, "O\xcc\xa8" }, { 0x01EB, "O\xcc\xa8" }, { 0x01EC, "O\xcc\xa8\xcc\x84" },
	{ 0x01ED, "O\xcc\xa8\xcc\x84" }, { 0x01EE, "\xc6\xb7\xcc\x8c" }, { 0x01EF, "\xc6\xb7\xcc\x8c" },
	{ 0x01F0, "j\xcc\x8c" }, { 0x01F1, "Dz" }, { 0x01F2, "Dz" }, { 0x01F3, "Dz" }, { 0x01F4, "G\xcc\x81" },
	{ 0x01F5, "G\xcc\x81" }, { 0x01F8, "N\xcc\x80" }, { 0x01F9, "N\xcc\x80" },
	{ 0x01FA, "A\xcc\x8a\xcc\x81" }, { 0x01FB, "A\xcc\x8a\xcc\x81" }, { 0x01FC, "\xc3\x86\xcc\x81" },
	{ 0x01FD, "\xc3\x86\xcc\x81" }, { 0x01FE, "\xc3\x98\xcc\x81" }, { 0x01FF, "\xc3\x98\xcc\x81" },
	{ 0x0200, "A\xcc\x8f" }, { 0x0201, "A\xcc\x8f" }, { 0x0202, "A\xcc\x91" }, { 0x0203, "A\xcc\x91" },
	{ 0x0204, "E\xcc\x8f" }, { 0x0205, "E\xcc\x8f" }, { 0x0206, "E\xcc\x91" }, { 0x0207, "E\xcc\x91" },
	{ 0x0208, "I\xcc\x8f" }, { 0x0209, "I\xcc\x8f" }, { 0x020A, "I\xcc\x91" }, { 0x020B, "I\xcc\x91" },
	{ 0x020C, "O\xcc\x8f" }, { 0x020D, "O\xcc\x8f" }, { 0x020E, "O\xcc\x91" }, { 0x020F, "O\xcc\x91" },
	{ 0x0210, "R\xcc\x8f" }, { 0x0211, "R\xcc\x8f" }, { 0x0212, "R\xcc\x91" }, { 0x0213, "R\xcc\x91" },
	{ 0x0214, "U\xcc\x8f" }, { 0x0215, "U\xcc\x8f" }, { 0x0216, "U\xcc\x91" }, { 0x0217, "U\xcc\x91" },
	{ 0x0218, "S\xcc\xa6" }, { 0x0219, "S\xcc\xa6" }, { 0x021A, "T\xcc\xa6" }, { 0x021B, "T\xcc\xa6" },
	{ 0x021D, "\xc8\x9c" }, { 0x021E, "H\xcc\x8c" }, { 0x021F, "H\xcc\x8c" }, { 0x0223, "\xc8\xa2" },
	{ 0x0225, "\xc8\xa4" }, { 0x0226, "A\xcc\x87" }, { 0x0227, "A\xcc\x87" }, { 0x0228, "E\xcc\xa7" },
	{ 0x0229, "E\xcc\xa7" }, { 0x022A, "O\xcc\x88\xcc\x84" }, { 0x022B, "O\xcc\x88\xcc\x84" },
	{ 0x022C, "O\xcc\x83\xcc\x84" }, { 0x022D, "O\xcc\x83\xcc\x84" }, { 0x022E, "O\xcc\x87" },
	{ 0x022F, "O\xcc\x87" }, { 0x0230, "O\xcc\x87\xcc\x84" }, { 0x0231, "O\xcc\x87\xcc\x84" },
	{ 0x0232, "Y\xcc\x84" }, { 0x0233, "Y\xcc\x84" }, { 0x023C, "\xc8\xbb" }, { 0x023F, "\xe2\xb1\xbe" },
	{ 0x0240, "\xe2\xb1\xbf" }, { 0x0242, "\xc9\x81" }, { 0x0247, "\xc9\x86" }, { 0x0249, "\xc9\x88" },
	{ 0x024B, "\xc9\x8a" }, { 0x024D, "\xc9\x8c" }, { 0x024F, "\xc9\x8e" }, { 0x0250, "\xe2\xb1\xaf" },
	{ 0x0251, "\xe2\xb1\xad" }, { 0x0252, "\xe2\xb1\xb0" }, { 0x0253, "\xc6\x81" }, { 0x0254, "\xc6\x86" },
	{ 0x0256, "\xc6\x89" }, { 0x0257, "\xc6\x8a" }, { 0x0259, "\xc6\x8f" }, { 0x025B, "\xc6\x90" },
	{ 0x025C, "\xea\x9e\xab" }, { 0x0260, "\xc6\x93" }, { 0x0261, "\xea\x9e\xac" }, { 0x0263, "\xc6\x94" },
	{ 0x0265, "\xea\x9e\x8d" }, { 0x0266, "\xea\x9e\xaa" }, { 0x0268, "\xc6\x97" }, { 0x0269, "\xc6\x96" },
	{ 0x026A, "\xea\x9e\xae" }, { 0x026B, "\xe2\xb1\xa2" }, { 0x026C, "\xea\x9e\xad" },
	{ 0x026F, "\xc6\x9c" }, { 0x0271, "\xe2\xb1\xae" }, { 0x0272, "\xc6\x9d" }, { 0x0275, "\xc6\x9f" },
	{ 0x027D, "\xe2\xb1\xa4" }, { 0x0280, "\xc6\xa6" }, { 0x0282, "\xea\x9f\x85" }, { 0x0283, "\xc6\xa9" },
	{ 0x0287, "\xea\x9e\xb1" }, { 0x0288, "\xc6\xae" }, { 0x0289, "\xc9\x84" }, { 0x028A, "\xc6\xb1" },
	{ 0x028B, "\xc6\xb2" }, { 0x028C, "\xc9\x85" }, { 0x0292, "\xc6\xb7" }, { 0x029D, "\xea\x9e\xb2" },
	{ 0x029E, "\xea\x9e\xb0" }, { 0x02B0, "h" }, { 0x02B1, "\xc9\xa6" }, { 0x02B2, "j" }, { 0x02B3, "r" },
	{ 0x02B4, "\xc9\xb9" }, { 0x02B5, "\xc9\xbb" }, { 0x02B6, "\xca\x81" }, { 0x02B7, "w" }, { 0x02B8, "y" },
	{ 0x02D8, " \xcc\x86" }, { 0x02D9, " \xcc\x87" }, { 0x02DA, " \xcc\x8a" }, { 0x02DB, " \xcc\xa8" },
	{ 0x02DC, " \xcc\x83" }, { 0x02DD, " \xcc\x8b" }, { 0x02E0, "\xc9\xa3" }, { 0x02E1, "l" },
	{ 0x02E2, "s" }, { 0x02E3, "x" }, { 0x02E4, "\xca\x95" }, { 0x0340, "\xcc\x80" }, { 0x0341, "\xcc\x81" },
	{ 0x0343, "\xcc\x93" }, { 0x0344, "\xcc\x88\xcc\x81" }, { 0x0345, "\xce\x99" }, { 0x0371, "\xcd\xb0" },
	{ 0x0373, "\xcd\xb2" }, { 0x0374, "\xca\xb9" }, { 0x0377, "\xcd\xb6" }, { 0x037A, " \xcd\x85" },
	{ 0x037B, "\xcf\xbd" }, { 0x037C, "\xcf\xbe" }, { 0x037D, "\xcf\xbf" }, { 0x037E, ";" },
	{ 0x0384, " \xcc\x81" }, { 0x0385, " \xcc\x88\xcc\x81" }, { 0x0386, "\xce\x91\xcc\x81" },
	{ 0x0387, "\xc2\xb7" }, { 0x0388, "\xce\x95\xcc\x81" }, { 0x0389, "\xce\x97\xcc\x81" },
	{ 0x038A, "\xce\x99\xcc\x81" }, { 0x038C, "\xce\x9f\xcc\x81" }, { 0x038E, "\xce\xa5\xcc\x81" },
	{ 0x038F, "\xce\xa9\xcc\x81" }, { 0x0390, "\xce\xb9\xcc\x88\xcc\x81" }, { 0x03AA, "\xce\x99\xcc\x88" },
	{ 0x03AB, "\xce\xa5\xcc\x88" }, { 0x03AC, "\xce\x91\xcc\x81" }, { 0x03AD, "\xce\x95\xcc\x81" },
	{ 0x03AE, "\xce\x97\xcc\x81" }, { 0x03AF, "\xce\x99\xcc\x81" }, { 0x03B0, "\xcf\x85\xcc\x88\xcc\x81" },
	{ 0x03B1, "\xce\x91" }, { 0x03B2, "\xce\x92" }, { 0x03B3, "\xce\x93" }, { 0x03B4, "\xce\x94" },
	{ 0x03B5, "\xce\x95" }, { 0x03B6, "\xce\x96" }, { 0x03B7, "\xce\x97" }, { 0x03B8, "\xce\x98" },
	{ 0x03B9, "\xce\x99" }, { 0x03BA, "\xce\x9a" }, { 0x03BB, "\xce\x9b" }, { 0x03BC, "\xce\x9c" },
	{ 0x03BD, "\xce\x9d" }, { 0x03BE, "\xce\x9e" }, { 0x03BF, "\xce\x9f" }, { 0x03C0, "\xce\xa0" },
	{ 0x03C1, "\xce\xa1" }, { 0x03C2, "\xce\xa3" }, { 0x03C3, "\xce\xa3" }, { 0x03C4, "\xce\xa4" },
	{ 0x03C5, "\xce\xa5" }, { 0x03C6, "\xce\xa6" }, { 0x03C7, "\xce\xa7" }, { 0x03C8, "\xce\xa8" },
	{ 0x03C9, "\xce\xa9" }, { 0x03CA, "\xce\x99\xcc\x88" }, { 0x03CB, "\xce\xa5\xcc\x88" },
	{ 0x03CC, "\xce\x9f\xcc\x81" }, { 0x03CD, "\xce\xa5\xcc\x81" }, { 0x03CE, "\xce\xa9\xcc\x81" },
	{ 0x03D0, "\xce\x92" }, { 0x03D1, "\xce\x98" }, { 0x03D2, "\xce\xa5" }, { 0x03D3, "\xce\xa5\xcc\x81" },
	{ 0x03D4, "\xce\xa5\xcc\x88" }, { 0x03D5, "\xce\xa6" }, { 0x03D6, "\xce\xa0" }, { 0x03D7, "\xcf\x8f" },
	{ 0x03D9, "\xcf\x98" }, { 0x03DB, "\xcf\x9a" }, { 0x03DD, "\xcf\x9c" }, { 0x03DF, "\xcf\x9e" },
	{ 0x03E1, "\xcf\xa0" }, { 0x03E3, "\xcf\xa2" }, { 0x03E5, "\xcf\xa4" }, { 0x03E7, "\xcf\xa6" },
	{ 0x03E9, "\xcf\xa8" }, { 0x03EB, "\xcf\xaa" }, { 0x03ED, "\xcf\xac" }, { 0x03EF, "\xcf\xae" },
	{ 0x03F0, "\xce\x9a" }, { 0x03F1, "\xce\xa1" }, { 0x03F2, "\xce\xa3" }, { 0x03F3, "\xcd\xbf" },
	{ 0x03F4, "\xce\x98" }, { 0x03F5, "\xce\x95" }, { 0x03F8, "\xcf\xb7" }, { 0x03F9, "\xce\xa3" },
	{ 0x03FB, "\xcf\xba" }, { 0x0400, "\xd0\x95\xcc\x80" }, { 0x0401, "\xd0\x95\xcc\x88" },
	{ 0x0403, "\xd0\x93\xcc\x81" }, { 0x0407, "\xd0\x86\xcc\x88" }, { 0x040C, "\xd0\x9a\xcc\x81" },
	{ 0x040D, "\xd0\x98\xcc\x80" }, { 0x040E, "\xd0\xa3\xcc\x86" }, { 0x0419, "\xd0\x98\xcc\x86" },
	{ 0x0430, "\xd0\x90" }, { 0x0431, "\xd0\x91" }, { 0x0432, "\xd0\x92" }, { 0x0433, "\xd0\x93" },
	{ 0x0434, "\xd0\x94" }, { 0x0435, "\xd0\x95" }, { 0x0436, "\xd0\x96" }, { 0x0437, "\xd0\x97" },
	{ 0x0438, "\xd0\x98" }, { 0x0439, "\xd0\x98\xcc\x86" }, { 0x043A, "\xd0\x9a" }, { 0x043B, "\xd0\x9b" },
	{ 0x043C, "\xd0\x9c" }, { 0x043D, "\xd0\x9d" }, { 0x043E, "\xd0\x9e" }, { 0x043F, "\xd0\x9f" },
	{ 0x0440, "\xd0\xa0" }, { 0x0441, "\xd0\xa1" }, { 0x0442, "\xd0\xa2" }, { 0x0443, "\xd0\xa3" },
	{ 0x0444, "\xd0\xa4" }, { 0x0445, "\xd0\xa5" }, { 0x0446, "\xd0\xa6" }, { 0x0447, "\xd0\xa7" },
	{ 0x0448, "\xd0\xa8" }, { 0x0449, "\xd0\xa9" }, { 0x044A, "\xd0\xaa" }, { 0x044B, "\xd0\xab" },
	{ 0x044C, "\xd0\xac" }, { 0x044D, "\xd0\xad" }, { 0x044E, "\xd0\xae" }, { 0x044F, "\xd0\xaf" },
	{ 0x0450, "\xd0\x95\xcc\x80" }, { 0x0451, "\xd0\x95\xcc\x88" }, { 0x0452, "\xd0\x82" },
	{ 0x0453, "\xd0\x93\xcc\x81" }, { 0x0454, "\xd0\x84" }, { 0x0455, "\xd0\x85" }, { 0x0456, "\xd0\x86" },
	{ 0x0457, "\xd0\x86\xcc\x88" }, { 0x0458, "\xd0\x88" }, { 0x0459, "\xd0\x89" }, { 0x045A, "\xd0\x8a" },
	{ 0x045B, "\xd0\x8b" }, { 0x045C, "\xd0\x9a\xcc\x81" }, { 0x045D, "\xd0\x98\xcc\x80" },
	{ 0x045E, "\xd0\xa3\xcc\x86" }, { 0x045F, "\xd0\x8f" }, { 0x0461, "\xd1\xa0" }, { 0x0463, "\xd1\xa2" },
	{ 0x0465, "\xd1\xa4" }, { 0x0467, "\xd1\xa6" }, { 0x0469, "\xd1\xa8" }, { 0x046B, "\xd1\xaa" },
	{ 0x046D, "\xd1\xac" }, { 0x046F, "\xd1\xae" }, { 0x0471, "\xd1\xb0" }, { 0x0473, "\xd1\xb2" },
	{ 0x0475, "\xd1\xb4" }, { 0x0476, "\xd1\xb4\xcc\x8f" }, { 0x0477, "\xd1\xb4\xcc\x8f" },
	{ 0x0479, "\xd1\xb8" }, { 0x047B, "\xd1\xba" }, { 0x047D, "\xd1\xbc" }, { 0x047F, "\xd1\xbe" },
	{ 0x0481, "\xd2\x80" }, { 0x048B, "\xd2\x8a" }, { 0x048D, "\xd2\x8c" }, { 0x048F, "\xd2\x8e" },
	{ 0x0491, "\xd2\x90" }, { 0x0493, "\xd2\x92" }, { 0x0495, "\xd2\x94" }, { 0x0497, "\xd2\x96" },
	{ 0x0499, "\xd2\x98" }, { 0x049B, "\xd2\x9a" }, { 0x049D, "\xd2\x9c" }, { 0x049F, "\xd2\x9e" },
	{ 0x04A1, "\xd2\xa0" }, { 0x04A3, "\xd2\xa2" }, { 0x04A5, "\xd2\xa4" }, { 0x04A7, "\xd2\xa6" },
	{ 0x04A9, "\xd2\xa8" }, { 0x04AB, "\xd2\xaa" }, { 0x04AD, "\xd2\xac" }, { 0x04AF, "\xd2\xae" },
	{ 0x04B1, "\xd2\xb0" }, { 0x04B3, "\xd2\xb2" }, { 0x04B5, "\xd2\xb4" }, { 0x04B7, "\xd2\xb6" },
	{ 0x04B9, "\xd2\xb8" }, { 0x04BB, "\xd2\xba" }, { 0x04BD, "\xd2\xbc" }, { 0x04BF, "\xd2\xbe" },
	{ 0x04C1, "\xd0\x96\xcc\x86" }, { 0x04C2, "\xd0\x96\xcc\x86" }, { 0x04C4, "\xd3\x83" },
	{ 0x04C6, "\xd3\x85" }, { 0x04C8, "\xd3\x87" }, { 0x04CA, "\xd3\x89" }, { 0x04CC, "\xd3\x8b" },
	{ 0x04CE, "\xd3\x8d" }, { 0x04CF, "\xd3\x80" }, { 0x04D0, "\xd0\x90\xcc\x86" },
	{ 0x04D1, "\xd0\x90\xcc\x86" }, { 0x04D2, "\xd0\x90\xcc\x88" }, { 0x04D3, "\xd0\x90\xcc\x88" },
	{ 0x04D5, "\xd3\x94" }, { 0x04D6, "\xd0\x95\xcc\x86" }, { 0x04D7, "\xd0\x95\xcc\x86" },
	{ 0x04D9, "\xd3\x98" }, { 0x04DA, "\xd3\x98\xcc\x88" }, { 0x04DB, "\xd3\x98\xcc\x88" },
	{ 0x04DC, "\xd0\x96\xcc\x88" }, { 0x04DD, "\xd0\x96\xcc\x88" }, { 0x04DE, "\xd0\x97\xcc\x88" },
	{ 0x04DF, "\xd0\x97\xcc\x88" }, { 0x04E1, "\xd3\xa0" }, { 0x04E2, "\xd0\x98\xcc\x84" },
	{ 0x04E3, "\xd0\x98\xcc\x84" }, { 0x04E4, "\xd0\x98\xcc\x88" }, { 0x04E5, "\xd0\x98\xcc\x88" },
	{ 0x04E6, "\xd0\x9e\xcc\x88" }, { 0x04E7, "\xd0\x9e\xcc\x88" }, { 0x04E9, "\xd3\xa8" },
	{ 0x04EA, "\xd3\xa8\xcc\x88" }, { 0x04EB, "\xd3\xa8\xcc\x88" }, { 0x04EC, "\xd0\xad\xcc\x88" },
	{ 0x04ED, "\xd0\xad\xcc\x88" }, { 0x04EE, "\xd0\xa3\xcc\x84" }, { 0x04EF, "\xd0\xa3\xcc\x84" },
	{ 0x04F0, "\xd0\xa3\xcc\x88" }, { 0x04F1, "\xd0\xa3\xcc\x88" }, { 0x04F2, "\xd0\xa3\xcc\x8b" },
	{ 0x04F3, "\xd0\xa3\xcc\x8b" }, { 0x04F4, "\xd0\xa7\xcc\x88" }, { 0x04F5, "\xd0\xa7\xcc\x88" },
	{ 0x04F7, "\xd3\xb6" }, { 0x04F8, "\xd0\xab\xcc\x88" }, { 0x04F9, "\xd0\xab\xcc\x88" },
	{ 0x04FB, "\xd3\xba" }, { 0x04FD, "\xd3\xbc" }, { 0x04FF, "\xd3\xbe" }, { 0x0501, "\xd4\x80" },
	{ 0x0503, "\xd4\x82" }, { 0x0505, "\xd4\x84" }, { 0x0507, "\xd4\x86" }, { 0x0509, "\xd4\x88" },
	{ 0x050B, "\xd4\x8a" }, { 0x050D, "\xd4\x8c" }, { 0x050F, "\xd4\x8e" }, { 0x0511, "\xd4\x90" },
	{ 0x0513, "\xd4\x92" }, { 0x0515, "\xd4\x94" }, { 0x0517, "\xd4\x96" }, { 0x0519, "\xd4\x98" },
	{ 0x051B, "\xd4\x9a" }, { 0x051D, "\xd4\x9c" }, { 0x051F, "\xd4\x9e" }, { 0x0521, "\xd4\xa0" },
	{ 0x0523, "\xd4\xa2" }, { 0x0525, "\xd4\xa4" }, { 0x0527, "\xd4\xa6" }, { 0x0529, "\xd4\xa8" },
	{ 0x052B, "\xd4\xaa" }, { 0x052D, "\xd4\xac" }, { 0x052F, "\xd4\xae" },
};

/* map_cmp - bsearch on the code point */
static int
map_cmp(const void *key, const void *elem)
{
	unsigned cp = *(const unsigned *)key;
	const struct casemap *m = elem;

	return cp < m->cp ? -1 : cp > m->cp;
}

/* utf8_next - the code point at s[i] and its length; 0 if not a valid sequence */
static size_t
utf8_next(const unsigned char *s, size_t len, size_t i, unsigned *cp_r)
{
	unsigned c = s[i], cp;
	size_t n, k;

	if (c < 0xC2 || c > 0xF4)
		return 0;
	n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (i + n > len)
		return 0;
	cp = c & (0x3F >> (n - 1));
	for (k = 1; k < n; k++) {
		if ((s[i + k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i + k] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	*cp_r = cp;
	return n;
}

void
imap_sort_casemap(const char *str, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	const struct casemap *m;
	unsigned cp;
	size_t i = 0, n;

	while (i < len) {
		if (s[i] < 0x80) {
			buf_putc(out, (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]));
			i++;
			continue;
		}
		n = utf8_next(s, len, i, &cp);
		if (n == 0) {
			buf_putc(out, (char)s[i++]);
			continue;
		}
		m = cp <= MAP_LAST ? bsearch(&cp, casemap, sizeof(casemap) / sizeof(casemap[0]),
		    sizeof(casemap[0]), map_cmp) : NULL;
		if (m != NULL)
			buf_puts(out, m->to);
		else
			buf_append(out, s + i, n);
		i += n;
	}
}
