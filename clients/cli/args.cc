#include "clients/cli/args.h"

#include <charconv>
#include <utility>

namespace dyad::cli {
namespace {

constexpr std::uint32_t kFacetsDefaultValues = 10;

struct GivenOption {
  const OptionSpec* spec;
  std::string value;
};

std::string Spelled(const OptionSpec& option) {
  std::string text(option.name);
  if (!option.value.empty()) text.append(" ").append(option.value);
  return text;
}

Status BadValue(const OptionSpec& option, const std::string& value, const std::string& what) {
  return InvalidArgument(std::string(option.name) + " '" + value + "': " + what);
}

StatusOr<std::uint32_t> ParseCount(const OptionSpec& option, const std::string& value) {
  std::uint32_t n = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
    return BadValue(option, value, "not a whole number (e.g. " + std::string(option.name) + " 20)");
  }
  return n;
}

StatusOr<int> ParseYear(const std::string& text, const std::string& whole) {
  int year = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || year < 1 ||
      year > 9999) {
    return InvalidArgument("'" + whole +
                           "' is not a year range like 1947..1991, 1980.., ..1945 "
                           "or 1962");
  }
  return year;
}

// "A..B", "A..", "..B" or "A" (both ends A).
std::pair<std::string, std::string> SplitRange(const std::string& text) {
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) return {text, text};
  return {text.substr(0, dots), text.substr(dots + 2)};
}

// YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31 (the engine checks the rest).
bool IsDate(const std::string& text) {
  const auto digits = [&text](std::size_t at, std::size_t n, int low, int high) {
    if (at + n > text.size()) return false;
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return value >= low && value <= high;
  };
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return false;
  if (!digits(0, 4, 1, 9999)) return false;
  if (text.size() >= 7 && (text[4] != '-' || !digits(5, 2, 1, 12))) return false;
  if (text.size() == 10 && (text[7] != '-' || !digits(8, 2, 1, 31))) return false;
  return true;
}

StatusOr<v1::FacetRequest> ParseFacet(const OptionSpec& option, const std::string& value) {
  const std::size_t colon = value.find(':');
  const std::string field = value.substr(0, colon);
  v1::FacetRequest facet;
  if (field == "country") {
    facet.set_field(v1::FACET_FIELD_COUNTRY);
  } else if (field == "dyad" || field == "pair") {
    facet.set_field(v1::FACET_FIELD_DYAD);
  } else if (field == "theme") {
    facet.set_field(v1::FACET_FIELD_THEME);
  } else if (field == "era") {
    facet.set_field(v1::FACET_FIELD_ERA);
  } else if (field == "decade") {
    facet.set_field(v1::FACET_FIELD_DECADE);
  } else if (field == "source") {
    facet.set_field(v1::FACET_FIELD_SOURCE);
  } else {
    return BadValue(option, value, "the field is one of country, dyad, theme, era, decade, source");
  }
  if (colon != std::string::npos) {
    StatusOr<std::uint32_t> n = ParseCount(option, value.substr(colon + 1));
    if (!n.ok() || *n == 0) {
      return BadValue(option, value, "after the colon comes how many values (e.g. theme:5)");
    }
    facet.set_limit(*n);
  }
  return facet;
}

StatusOr<Format> FormatNamed(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "csv") return Format::kCsv;
  if (name == "trec") return Format::kTrec;
  return InvalidArgument("--format '" + name + "': one of table, json, jsonl, csv, trec");
}

bool HasFilters(const v1::Filters& filters) { return filters.ByteSizeLong() > 0; }

// Applies one option's value to the invocation.
Status Apply(const GivenOption& given, Invocation* out) {
  const OptionSpec& option = *given.spec;
  const std::string& value = given.value;
  v1::SearchRequest& request = out->request;
  v1::Filters& filters = *request.mutable_filters();
  switch (option.id) {
    case OptionId::kServer:
      out->server = value;
      break;
    case OptionId::kIndex:
      out->index = value;
      break;
    case OptionId::kTokenFile:
      out->token_file = value;
      break;
    case OptionId::kFormat: {
      StatusOr<Format> format = FormatNamed(value);
      if (!format.ok()) return format.status();
      if (!Writes(*out->command, value)) {
        return InvalidArgument("dyad " + std::string(out->command->name) + " writes " +
                               std::string(out->command->formats) + ", not " + value);
      }
      out->format = *format;
      break;
    }
    case OptionId::kJson:
      out->format = Format::kJson;
      break;
    case OptionId::kColor:
      if (value == "auto") {
        out->color = ColorMode::kAuto;
      } else if (value == "always") {
        out->color = ColorMode::kAlways;
      } else if (value == "never") {
        out->color = ColorMode::kNever;
      } else {
        return BadValue(option, value, "one of auto, always, never");
      }
      break;
    case OptionId::kPair:
      filters.add_dyads(value);
      break;
    case OptionId::kCountry:
      filters.add_countries(value);
      break;
    case OptionId::kAllCountries:
      filters.set_country_match(v1::COUNTRY_MATCH_ALL);
      break;
    case OptionId::kTheme:
      filters.add_themes(value);
      break;
    case OptionId::kEra:
      filters.add_eras(value);
      break;
    case OptionId::kPeriod: {
      StatusOr<v1::YearSpan> span = ParseYearSpan(value);
      if (!span.ok()) return InvalidArgument("--period " + span.status().message());
      *filters.mutable_period() = *span;
      break;
    }
    case OptionId::kPublished: {
      const auto [from, to] = SplitRange(value);
      if (from.empty() && to.empty()) {
        return BadValue(option, value, "give dates like 2001..2005-06, 2010.. or ..1999-12-31");
      }
      for (const std::string& date : {from, to}) {
        if (!date.empty() && !IsDate(date)) {
          return BadValue(option, value,
                          "'" + date + "' is not a date: YYYY, YYYY-MM or YYYY-MM-DD");
        }
      }
      filters.set_published_from(from);
      filters.set_published_to(to);
      break;
    }
    case OptionId::kSource:
      filters.add_sources(value);
      break;
    case OptionId::kLang:
      filters.add_languages(value);
      break;
    case OptionId::kSort:
      if (value == "relevance") {
        request.set_sort(v1::SORT_ORDER_RELEVANCE);
      } else if (value == "date") {
        request.set_sort(v1::SORT_ORDER_DATE_DESC);
      } else if (value == "date-asc") {
        request.set_sort(v1::SORT_ORDER_DATE_ASC);
      } else {
        return BadValue(option, value, "one of relevance, date (newest first), date-asc");
      }
      break;
    case OptionId::kLimit:
    case OptionId::kOffset:
    case OptionId::kSnippetLength:
    case OptionId::kPageSize: {
      StatusOr<std::uint32_t> n = ParseCount(option, value);
      if (!n.ok()) return n.status();
      if (option.id == OptionId::kLimit) {
        if (*n == 0) return BadValue(option, value, "give at least 1");
        request.set_limit(*n);
        out->limit_given = true;
      } else if (option.id == OptionId::kOffset) {
        request.set_offset(*n);
      } else if (option.id == OptionId::kSnippetLength) {
        request.set_snippet_length(*n);
      } else {
        if (*n == 0) return BadValue(option, value, "give at least 1");
        out->page_size = *n;
      }
      break;
    }
    case OptionId::kFacets:
      for (v1::FacetField field :
           {v1::FACET_FIELD_COUNTRY, v1::FACET_FIELD_DYAD, v1::FACET_FIELD_THEME,
            v1::FACET_FIELD_ERA, v1::FACET_FIELD_DECADE}) {
        v1::FacetRequest* facet = request.add_facets();
        facet->set_field(field);
        facet->set_limit(kFacetsDefaultValues);
      }
      break;
    case OptionId::kFacet: {
      StatusOr<v1::FacetRequest> facet = ParseFacet(option, value);
      if (!facet.ok()) return facet.status();
      *request.add_facets() = *facet;
      break;
    }
    case OptionId::kExactFacets:
      request.set_exact_facets(true);
      break;
    case OptionId::kExplain:
      request.set_explain(true);
      break;
    case OptionId::kQid:
    case OptionId::kTag:
      if (value.empty() || value.find_first_of(" \t\n") != std::string::npos) {
        return BadValue(option, value, "a TREC run needs one word, without spaces");
      }
      (option.id == OptionId::kQid ? out->qid : out->tag) = value;
      break;
    case OptionId::kMarkdown:
      out->markdown = true;
      break;
    case OptionId::kHelp:
      out->help = true;
      break;
    case OptionId::kVersion:
      out->version = true;
      break;
  }
  return Status::Ok();
}

Status CheckArguments(const Invocation& invocation) {
  const std::string name(invocation.command->name);
  const std::size_t count = invocation.arguments.size();
  if (name == "search" && count == 0 && !HasFilters(invocation.request.filters())) {
    return InvalidArgument("dyad search needs a QUERY (or a filter such as --pair PK-RU)");
  }
  if ((name == "similar" || name == "get") && count != 1) {
    return InvalidArgument("dyad " + name + " needs exactly one article ID" +
                           (count > 1 ? " (quote an id with spaces)" : ""));
  }
  if ((name == "stats" || name == "health") && count != 0) {
    return InvalidArgument("dyad " + name + " takes no arguments, not '" + invocation.arguments[0] +
                           "'");
  }
  if (name == "help" && count > 1) return InvalidArgument("dyad help takes at most one COMMAND");
  if (name == "help" && count == 1 && FindCommand(invocation.arguments[0]) == nullptr) {
    return InvalidArgument("no command '" + invocation.arguments[0] +
                           "'; 'dyad --help' lists the commands");
  }
  if (!invocation.server.empty() && !invocation.index.empty()) {
    return InvalidArgument("give --server or --index, not both");
  }
  if (invocation.format != Format::kTrec && (invocation.qid != "1" || invocation.tag != "dyad")) {
    return InvalidArgument("--qid and --tag go with --format trec");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<v1::YearSpan> ParseYearSpan(const std::string& text) {
  const auto [from_text, to_text] = SplitRange(text);
  v1::YearSpan span;
  if (from_text.empty() && to_text.empty()) {
    return InvalidArgument("'" + text +
                           "' is not a year range like 1947..1991, 1980.., ..1945 "
                           "or 1962");
  }
  if (!from_text.empty()) {
    StatusOr<int> from = ParseYear(from_text, text);
    if (!from.ok()) return from.status();
    span.set_from(*from);
  }
  if (!to_text.empty()) {
    StatusOr<int> to = ParseYear(to_text, text);
    if (!to.ok()) return to.status();
    span.set_to(*to);
  }
  if (span.from() != 0 && span.to() != 0 && span.from() > span.to()) {
    return InvalidArgument("'" + text + "' ends before it starts");
  }
  return span;
}

StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args) {
  Invocation invocation;
  std::vector<GivenOption> given;
  Status error;  // The first problem; reported unless --help or --version is given.
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_ended && arg == "--") {
      options_ended = true;
      continue;
    }
    const bool is_option = !options_ended && (arg.starts_with("--") || arg == "-h");
    if (!is_option) {
      if (invocation.command == nullptr && error.ok()) {
        invocation.command = FindCommand(arg);
        if (invocation.command == nullptr) {
          error = InvalidArgument("no command '" + arg +
                                  "'; the commands are search, similar, "
                                  "get, export, stats, health and help");
        }
      } else {
        invocation.arguments.push_back(arg);
      }
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const OptionSpec* option = FindOption(name);
    if (option == nullptr) {
      if (error.ok()) {
        error = InvalidArgument("no option '" + name + "' ('dyad --help' lists the options; a " +
                                "query word starting with -- goes after --)");
      }
      continue;
    }
    GivenOption one{option, ""};
    if (option->value.empty()) {
      if (equals != std::string::npos && error.ok()) {
        error = InvalidArgument(name + " takes no value");
      }
    } else if (equals != std::string::npos) {
      one.value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      one.value = args[++i];
    } else if (error.ok()) {
      error = InvalidArgument(name + " needs a value: " + Spelled(*option));
    }
    given.push_back(std::move(one));
  }

  // --help and --version win over everything else, as people expect.
  for (const GivenOption& one : given) {
    if (one.spec->id == OptionId::kHelp) invocation.help = true;
    if (one.spec->id == OptionId::kVersion) invocation.version = true;
  }
  if (invocation.help || invocation.version) return invocation;
  if (!error.ok()) return error;
  if (invocation.command == nullptr) {
    return InvalidArgument("no command given; try 'dyad search QUERY' or 'dyad --help'");
  }
  const CommandSpec& command = *invocation.command;
  const std::string formats(command.formats);
  if (!formats.empty()) {
    StatusOr<Format> default_format = FormatNamed(formats.substr(0, formats.find(' ')));
    if (default_format.ok()) invocation.format = *default_format;
  }
  for (const GivenOption& one : given) {
    if (!Accepts(command, *one.spec)) {
      return InvalidArgument(std::string(one.spec->name) + " does not apply to dyad " +
                             std::string(command.name) + " (see 'dyad " +
                             std::string(command.name) + " --help')");
    }
    if (one.spec->id == OptionId::kJson && !Writes(command, "json")) {
      return InvalidArgument("dyad " + std::string(command.name) + " writes " + formats +
                             ", not json");
    }
    if (Status status = Apply(one, &invocation); !status.ok()) return status;
  }
  if (Status status = CheckArguments(invocation); !status.ok()) return status;
  return invocation;
}

}  // namespace dyad::cli
