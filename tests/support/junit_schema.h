// SPDX-License-Identifier: Apache-2.0
// Validate JUnit XML against tests/support/junit-common.xsd with libxml2.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <string>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

namespace cmosim::test {

// libxml2's message callback: append to the std::string at ctx.
inline void junit_schema_collect(void *ctx, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    *static_cast<std::string *>(ctx) += buf;
}

// "" when `xml` is valid; otherwise libxml2's messages, one per line.
inline std::string junit_schema_errors(const std::string &xml) {
    std::string errors;
    auto *collect = &junit_schema_collect;
    const std::string xsd = std::string(CMOSIM_SOURCE_DIR) + "/tests/support/junit-common.xsd";
    xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(xsd.c_str());
    xmlSchemaSetParserErrors(pctx, collect, collect, &errors);
    xmlSchemaPtr schema = xmlSchemaParse(pctx);
    xmlSchemaFreeParserCtxt(pctx);
    if (!schema)
        return "cannot load " + xsd + ": " + errors;
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        xmlSchemaFree(schema);
        return "not well-formed XML";
    }
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidErrors(vctx, collect, collect, &errors);
    int rc = xmlSchemaValidateDoc(vctx, doc);
    xmlSchemaFreeValidCtxt(vctx);
    xmlFreeDoc(doc);
    xmlSchemaFree(schema);
    if (rc != 0 && errors.empty())
        errors = "invalid (libxml2 code " + std::to_string(rc) + ")";
    return errors;
}

} // namespace cmosim::test
