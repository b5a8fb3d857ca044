/* version.h - the one place the release number lives */
#ifndef DUPLEX_VERSION_H
#define DUPLEX_VERSION_H
#define DUPLEX_VERSION "0.1.0"
#endif
