#include "clients/cli/output.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>
#include <vector>

namespace dyad::cli {
namespace {

constexpr char kBold[] = "\x1b[1m";
constexpr char kNormal[] = "\x1b[22m";
constexpr std::size_t kBarWidth = 30;

std::string Bold(const std::string& text, const Style& style) {
  return style.color ? kBold + text + kNormal : text;
}

// The shortest text that reads back as the same double (as dyad-eval writes run scores).
std::string ShortestDouble(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

template <typename Range, typename Get>
std::string Joined(const Range& range, Get get) {
  std::string out;
  for (const auto& item : range) {
    const std::string text = get(item);
    if (text.empty()) continue;
    out += (out.empty() ? "" : " ") + text;
  }
  return out;
}

std::string SalientCountries(const v1::Enrichment& e) {
  return Joined(e.countries(),
                [](const v1::CountryScore& c) { return c.salient() ? c.code() : std::string(); });
}
std::string Dyads(const v1::Enrichment& e) {
  return Joined(e.dyads(), [](const v1::DyadScore& d) { return d.pair(); });
}
std::string Themes(const v1::Enrichment& e) {
  return Joined(e.themes(), [](const v1::ThemeScore& t) { return t.id(); });
}
std::string Eras(const v1::Enrichment& e) {
  return Joined(e.eras(), [](const std::string& era) { return era; });
}

std::string Period(const v1::YearSpan& span) {
  if (span.from() == 0 && span.to() == 0) return "";
  if (span.from() == span.to()) return std::to_string(span.from());
  return std::to_string(span.from()) + ".." + std::to_string(span.to());
}

// "countries PK RU  pairs PK-RU IN-PK  themes energy  eras cold-war  period 1947..2019", with at
// most `max` countries and themes (0: all).
std::string EnrichmentLine(const v1::Enrichment& e, std::size_t max, const Style& style) {
  // A separator that survives word wrapping on a terminal.
  const std::string separator = style.terminal ? " \u00b7 " : "  ";
  std::string line;
  const auto add = [&](const std::string& label, const std::string& value) {
    if (value.empty()) return;
    if (!line.empty()) line += separator;
    line += label + " " + value;
  };
  std::string countries;
  std::size_t salient = 0;
  for (const v1::CountryScore& country : e.countries()) {
    if (!country.salient()) continue;
    if (max == 0 || salient < max) countries += (countries.empty() ? "" : " ") + country.code();
    ++salient;
  }
  if (max != 0 && salient > max) countries += " +" + std::to_string(salient - max);
  add("countries", countries);
  add("pairs", Dyads(e));
  std::string themes;
  for (int i = 0; i < e.themes_size() && (max == 0 || static_cast<std::size_t>(i) < max); ++i) {
    themes += (themes.empty() ? "" : " ") + e.themes(i).id();
  }
  add("themes", themes);
  add("eras", Eras(e));
  add("period", Period(e.period()));
  return line;
}

// Greedy word wrap of `text` to `width` columns, each line starting with `indent`.
std::string Wrapped(const std::string& text, std::size_t width, const std::string& indent) {
  std::istringstream words(text);
  std::string word, line, out;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string FacetHeading(v1::FacetField field) {
  switch (field) {
    case v1::FACET_FIELD_COUNTRY:
      return "Countries";
    case v1::FACET_FIELD_DYAD:
      return "Country pairs";
    case v1::FACET_FIELD_THEME:
      return "Themes";
    case v1::FACET_FIELD_ERA:
      return "Eras";
    case v1::FACET_FIELD_DECADE:
      return "Decades";
    case v1::FACET_FIELD_SOURCE:
      return "Sources";
    default:
      return "Field " + std::to_string(field);
  }
}

std::string Bar(std::uint64_t count, std::uint64_t max, const Style& style) {
  if (max == 0) return "";
  const std::size_t length =
      std::max<std::size_t>(1, static_cast<std::size_t>((count * kBarWidth + max / 2) / max));
  std::string bar;
  for (std::size_t i = 0; i < length; ++i) bar += style.terminal ? "\u2588" : "#";
  return bar;
}

}  // namespace

std::pair<std::string, std::string> HighlightMarkers(const Style& style) {
  if (style.color) return {kBold, kNormal};
  return {"[", "]"};
}

void WriteJson(const google::protobuf::Message& message, bool pretty, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = pretty;
  std::string json;
  // Only fails for messages with Any fields of unknown types, which Dyad's messages have not.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << '\n';
}

std::string FacetFieldName(v1::FacetField field) {
  switch (field) {
    case v1::FACET_FIELD_COUNTRY:
      return "country";
    case v1::FACET_FIELD_DYAD:
      return "dyad";
    case v1::FACET_FIELD_THEME:
      return "theme";
    case v1::FACET_FIELD_ERA:
      return "era";
    case v1::FACET_FIELD_DECADE:
      return "decade";
    case v1::FACET_FIELD_SOURCE:
      return "source";
    default:
      return std::to_string(field);
  }
}

void WriteSearchTable(const v1::SearchResponse& response, const Style& style, std::ostream& out) {
  const bool exact = response.matches_lower_bound() == response.matches_upper_bound();
  if (response.hits().empty()) {
    out << (response.offset() > 0 && response.total_estimate() > 0
                ? "No results on this page (" + std::to_string(response.total_estimate()) +
                      " matches in all).\n"
                : std::string("No matching articles.\n"));
  } else {
    out << (exact ? "" : "About ") << response.total_estimate()
        << (response.total_estimate() == 1 ? " match" : " matches") << "; showing "
        << response.hits(0).rank() << "-" << response.hits(response.hits_size() - 1).rank()
        << ".\n";
  }
  if (!response.corrected_query().empty()) {
    out << "Did you mean: " << Bold(response.corrected_query(), style) << "\n";
  }
  for (const v1::Hit& hit : response.hits()) {
    std::string rank = std::to_string(hit.rank()) + ".";
    if (rank.size() < 4) rank.insert(0, 4 - rank.size(), ' ');
    out << "\n"
        << rank << " " << Bold(hit.title().empty() ? "(untitled)" : hit.title(), style) << "\n";
    const std::string indent(5, ' ');
    out << indent << hit.id() << "  score " << Fixed(hit.score(), 3);
    if (!hit.published().empty()) out << "  published " << hit.published();
    if (!hit.source().empty()) out << "  " << hit.source();
    if (!hit.authors().empty()) out << "  by " << hit.authors(0);
    out << "\n";
    const std::string enrichment = EnrichmentLine(hit.enrichment(), 6, style);
    // On a terminal long lines wrap under the indent; elsewhere each stays one line for grep.
    const auto line = [&](const std::string& text) {
      if (text.empty()) return;
      if (style.terminal) {
        out << Wrapped(text, std::max<std::size_t>(style.width, 40), indent);
      } else {
        out << indent << text << "\n";
      }
    };
    line(enrichment);
    line(hit.snippet());
    if (!hit.explanation().empty()) {
      out << indent << "explain:";
      for (const v1::TermWeight& term : hit.explanation()) {
        out << " " << term.term() << "=" << Fixed(term.weight(), 3);
      }
      out << "\n";
    }
  }
  if (!response.facets().empty()) {
    out << "\n";
    WriteFacetsTable(response.facets(), style, out);
  }
  if (!response.next_cursor().empty() && !response.hits().empty()) {
    out << "\nMore: --offset " << response.hits(response.hits_size() - 1).rank()
        << " for the next page, or dyad export for every match.\n";
  }
}

void WriteFacetsTable(const google::protobuf::RepeatedPtrField<v1::FacetResult>& facets,
                      const Style& style, std::ostream& out) {
  bool first = true;
  for (const v1::FacetResult& facet : facets) {
    if (!first) out << "\n";
    first = false;
    out << Bold(FacetHeading(facet.field()), style) << " (" << facet.distinct_values()
        << (facet.distinct_values() == 1 ? " value" : " values");
    if (!facet.exact())
      out << "; counted over the first " << facet.documents_counted() << " matches";
    out << ")\n";
    std::size_t label_width = 0;
    std::uint64_t max = 0;
    for (const v1::FacetValue& value : facet.values()) {
      label_width = std::max(label_width, value.value().size());
      max = std::max<std::uint64_t>(max, value.count());
    }
    const std::size_t count_width = std::to_string(max).size();
    for (const v1::FacetValue& value : facet.values()) {
      std::string count = std::to_string(value.count());
      count.insert(0, count_width - count.size(), ' ');
      out << "  " << value.value() << std::string(label_width - value.value().size(), ' ') << "  "
          << count << " " << Bar(value.count(), max, style) << "\n";
    }
  }
}

void WriteHitsJsonl(const v1::SearchResponse& response, std::ostream& out) {
  for (const v1::Hit& hit : response.hits()) WriteJson(hit, false, out);
}

void WriteCsvHeader(std::ostream& out) {
  out << "rank,id,score,title,published,source,countries,dyads,themes,eras,snippet\r\n";
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void WriteHitsCsv(const v1::SearchResponse& response, std::ostream& out) {
  for (const v1::Hit& hit : response.hits()) {
    const v1::Enrichment& e = hit.enrichment();
    out << hit.rank() << ',' << CsvField(hit.id()) << ',' << ShortestDouble(hit.score()) << ','
        << CsvField(hit.title()) << ',' << CsvField(hit.published()) << ','
        << CsvField(hit.source()) << ',' << CsvField(SalientCountries(e)) << ','
        << CsvField(Dyads(e)) << ',' << CsvField(Themes(e)) << ',' << CsvField(Eras(e)) << ','
        << CsvField(hit.snippet()) << "\r\n";
  }
}

void WriteHitsTrec(const v1::SearchResponse& response, const std::string& qid,
                   const std::string& tag, std::ostream& out) {
  for (const v1::Hit& hit : response.hits()) {
    out << qid << " Q0 " << hit.id() << ' ' << hit.rank() << ' ' << ShortestDouble(hit.score())
        << ' ' << tag << '\n';
  }
}

void WriteArticleTable(const v1::StoredArticle& article, const Style& style, std::ostream& out) {
  const std::size_t width = style.terminal ? std::max<std::size_t>(style.width, 40) : 0;
  const auto paragraph = [&](const std::string& text, const std::string& indent) {
    if (width == 0) {
      out << indent << text << "\n";
    } else {
      out << Wrapped(text, width, indent);
    }
  };
  out << Bold(article.title().empty() ? "(untitled)" : article.title(), style) << "\n";
  std::string meta = "id " + article.id();
  if (!article.published().empty()) meta += "  published " + article.published();
  if (!article.source().empty()) meta += "  source " + article.source();
  if (!article.language().empty()) meta += "  language " + article.language();
  out << meta << "\n";
  if (!article.authors().empty()) {
    out << "by " << Joined(article.authors(), [](const std::string& a) { return a; }) << "\n";
  }
  if (!article.url().empty()) out << article.url() << "\n";
  const v1::Enrichment& e = article.enrichment();
  const std::string enrichment = EnrichmentLine(e, 0, style);
  if (!enrichment.empty()) out << enrichment << "\n";
  if (!article.key_points().empty()) {
    out << "\n" << Bold("Key points", style) << "\n";
    for (const v1::KeyPoint& point : article.key_points()) {
      paragraph((point.label().empty() ? "" : point.label() + ": ") + point.text(), "  - ");
    }
  }
  for (const v1::Section& section : article.sections()) {
    out << "\n";
    if (!section.heading().empty()) out << Bold(section.heading(), style) << "\n";
    bool first = true;
    for (const std::string& text : section.paragraphs()) {
      if (!first) out << "\n";
      first = false;
      paragraph(text, "");
    }
  }
  if (!article.author_note().empty()) {
    out << "\n";
    paragraph(article.author_note(), "");
  }
}

void WriteHealthTable(const v1::HealthResponse& health, std::ostream& out) {
  out << "ok: " << health.article_count() << " articles, schema version " << health.schema_version()
      << ", index revision " << health.index_revision() << "\n";
}

void WriteStatsTable(const v1::IndexStats& stats, const Style& style, std::ostream& out) {
  out << stats.health().article_count() << " articles  schema version "
      << stats.health().schema_version() << "  index revision " << stats.health().index_revision()
      << "\n\n";
  WriteFacetsTable(stats.facets(), style, out);
}

void WriteStatsCsv(const v1::IndexStats& stats, std::ostream& out) {
  out << "field,value,count\r\n";
  out << "articles,," << stats.health().article_count() << "\r\n";
  for (const v1::FacetResult& facet : stats.facets()) {
    for (const v1::FacetValue& value : facet.values()) {
      out << FacetFieldName(facet.field()) << ',' << CsvField(value.value()) << ',' << value.count()
          << "\r\n";
    }
  }
}

}  // namespace dyad::cli
