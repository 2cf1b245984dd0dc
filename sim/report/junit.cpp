// SPDX-License-Identifier: Apache-2.0
#include "report/junit.h"

#include <cstdio>
#include <sstream>

namespace cmosim::sim {

namespace {

// xs:decimal, as both schemas type the time attributes: no exponent.
std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
    return buf;
}

// Attributes typed xs:token must not carry line breaks or runs of blanks.
std::string one_line(const std::string &text) {
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

std::string xml_escape(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                break;
            out += ch;
        }
    }
    return out;
}

void junit_names(const std::string &file, std::string *name, std::string *classname) {
    std::string dir, base = file;
    size_t slash = file.rfind('/');
    if (slash != std::string::npos) {
        dir = file.substr(0, slash);
        base = file.substr(slash + 1);
    }
    for (const char *ext : {".yaml", ".yml"}) {
        std::string e = ext;
        if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0) {
            base.resize(base.size() - e.size());
            break;
        }
    }
    *name = base.empty() ? file : base;
    std::string cls = "cmosim";
    std::istringstream in(dir);
    std::string part;
    while (std::getline(in, part, '/'))
        if (!part.empty() && part != "." && part != "..")
            cls += "." + part;
    *classname = cls;
}

std::string junit_xml(const JunitSuite &suite) {
    size_t failures = 0, errors = 0, skipped = 0;
    for (const JunitCase &c : suite.cases) {
        failures += c.outcome == JunitCase::Outcome::Failure;
        errors += c.outcome == JunitCase::Outcome::Error;
        skipped += c.outcome == JunitCase::Outcome::Skipped;
    }
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o << "<testsuites>\n";
    o << "  <testsuite name=\"" << xml_escape(one_line(suite.name)) << "\" package=\""
      << xml_escape(one_line(suite.name)) << "\" id=\"0\" timestamp=\""
      << xml_escape(suite.timestamp) << "\" hostname=\""
      << xml_escape(one_line(suite.hostname.empty() ? "localhost" : suite.hostname))
      << "\" tests=\"" << suite.cases.size() << "\" failures=\"" << failures << "\" errors=\""
      << errors << "\"";
    // Only when there are any: Ant's strict schema has no such attribute.
    if (skipped)
        o << " skipped=\"" << skipped << "\"";
    o << " time=\"" << seconds_text(suite.seconds) << "\">\n";
    o << "    <properties>\n";
    for (const auto &[k, v] : suite.properties)
        o << "      <property name=\"" << xml_escape(one_line(k)) << "\" value=\"" << xml_escape(v)
          << "\"/>\n";
    o << "    </properties>\n";
    for (const JunitCase &c : suite.cases) {
        o << "    <testcase name=\"" << xml_escape(one_line(c.name)) << "\" classname=\""
          << xml_escape(one_line(c.classname)) << "\" time=\"" << seconds_text(c.seconds) << "\"";
        if (c.outcome == JunitCase::Outcome::Pass) {
            o << "/>\n";
            continue;
        }
        if (c.outcome == JunitCase::Outcome::Skipped) {
            o << ">\n      <skipped message=\"" << xml_escape(one_line(c.message)) << "\"/>\n";
            o << "    </testcase>\n";
            continue;
        }
        const char *tag = c.outcome == JunitCase::Outcome::Failure ? "failure" : "error";
        o << ">\n      <" << tag << " type=\"" << xml_escape(one_line(c.type)) << "\" message=\""
          << xml_escape(one_line(c.message)) << "\">" << xml_escape(c.text) << "</" << tag << ">\n";
        o << "    </testcase>\n";
    }
    o << "    <system-out>" << xml_escape(suite.system_out) << "</system-out>\n";
    o << "    <system-err>" << xml_escape(suite.system_err) << "</system-err>\n";
    o << "  </testsuite>\n";
    o << "</testsuites>\n";
    return o.str();
}

} // namespace cmosim::sim
