#ifndef PADU_CLIBXML2_SHIM_H
#define PADU_CLIBXML2_SHIM_H
/* Debian's libxml2 enables ICU, whose types clash with Foundation's copy when both are
   imported into one Swift module. The ICU fields sit at the end of structs Padu never
   allocates, so the feature macro is undefined before the other headers. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/HTMLparser.h>
#endif
