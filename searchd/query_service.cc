#include "searchd/query_service.h"

#include <string.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>

#include "core/schema.h"
#include "dyad/v1/article.pb.h"
#include "searchd/cursor.h"
#include "searchd/facet_spy.h"

namespace dyad {
namespace {

constexpr std::uint32_t kProtocolVersion = v1::PROTOCOL_VERSION_1;

// Snippets. Xapian's MSet::snippet tokenises, stems and weighs every word of the text it is
// given, which for a 50 KB speech costs milliseconds per hit. So the snippet is cut from a region
// of the article instead: whole paragraphs (key points, body, author note, in that order) from
// the one that names the most distinct query words (the first such) on, up to a budget of bytes;
// a paragraph longer than the budget is cut at sentence ends around its first query word. Query
// words are found by a byte search, at word starts, for lower-cased forms of the query's
// unprefixed terms; a stemmed term ("Zeconomi") is looked for by its stem minus the last letter
// ("econom"), which its inflections ("economy", "economic") start with. That test may say yes
// too often, never matters for correctness (Xapian's snippet then weighs the region exactly), and
// costs a memchr-speed scan. Without any query word in the text, the region is the lead.

constexpr std::size_t kMaxSnippetNeedles = 32;

// Bytes of text a snippet of `length` is chosen from: room for many candidate windows.
std::size_t SnippetBudget(std::uint32_t length) {
  return std::max<std::size_t>(2048, 10 * static_cast<std::size_t>(length));
}

bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnumAscii(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || IsUpperAscii(c);
}

std::vector<std::string> SnippetNeedles(const Xapian::Query& query) {
  std::vector<std::string> needles;
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end() && needles.size() < kMaxSnippetNeedles; ++it) {
    std::string term = *it;
    if (term.empty()) continue;
    if (term[0] == 'Z') {
      if (term.size() < 2 || IsUpperAscii(term[1])) continue;  // A field's stem ("ZSpipelin").
      term.erase(0, 1);
      if (term.size() > 3) term.pop_back();
    } else if (IsUpperAscii(term[0])) {
      continue;  // A field or filter term.
    }
    needles.push_back(std::move(term));
  }
  return needles;
}

// The paragraphs a snippet may come from, in order.
std::vector<std::string_view> SnippetParagraphs(const v1::StoredArticle& article) {
  std::vector<std::string_view> paragraphs;
  const auto add = [&](const std::string& part) {
    if (!part.empty()) paragraphs.push_back(part);
  };
  for (const v1::KeyPoint& point : article.key_points()) add(point.text());
  for (const v1::Section& section : article.sections()) {
    for (const std::string& paragraph : section.paragraphs()) add(paragraph);
  }
  add(article.author_note());
  return paragraphs;
}

// Where a sentence ends in `text` before `at` ("word. Next"), as the index of the next sentence's
// first byte, looking back at most `reach` bytes; 0 if none.
std::size_t SentenceStartBefore(std::string_view text, std::size_t at, std::size_t reach) {
  const std::size_t stop = at > reach ? at - reach : 0;
  for (std::size_t i = at; i > stop + 1; --i) {
    const char c = text[i - 2];
    if ((c == '.' || c == '?' || c == '!') && text[i - 1] == ' ') return i;
  }
  return 0;
}

// The end of the first sentence ending at or after `at` (just after its punctuation), or the
// end of `text`.
std::size_t SentenceEndAfter(std::string_view text, std::size_t at) {
  for (std::size_t i = at; i + 1 < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ') return i + 1;
  }
  return text.size();
}

// The first place where `needle` (lower case) starts a word of `text` written in lower case,
// capitalised or in capitals; npos if none.
std::size_t FindAtWordStart(std::string_view text, const std::string& needle) {
  std::string forms[3] = {needle, needle, needle};
  forms[1][0] = static_cast<char>(std::toupper(static_cast<unsigned char>(needle[0])));
  for (char& c : forms[2]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::size_t first = std::string_view::npos;
  for (const std::string& form : forms) {
    const char* const data = text.data();
    std::size_t at = 0;
    // memmem: glibc's is much faster than a byte loop on long texts.
    while (at < text.size()) {
      const void* found = memmem(data + at, text.size() - at, form.data(), form.size());
      if (found == nullptr) break;
      at = static_cast<std::size_t>(static_cast<const char*>(found) - data);
      if (at >= first) break;
      if (at == 0 || !IsAlnumAscii(data[at - 1])) {
        first = at;
        break;
      }
      ++at;
    }
  }
  return first;
}

std::string SnippetRegion(const v1::StoredArticle& article, const std::vector<std::string>& needles,
                          std::size_t budget) {
  const std::vector<std::string_view> paragraphs = SnippetParagraphs(article);
  std::size_t best = 0, best_count = 0, best_first = 0;
  for (std::size_t p = 0; p < paragraphs.size() && !needles.empty(); ++p) {
    std::size_t count = 0, first = std::string_view::npos;
    for (const std::string& needle : needles) {
      const std::size_t at = FindAtWordStart(paragraphs[p], needle);
      if (at != std::string_view::npos) {
        ++count;
        first = std::min(first, at);
      }
    }
    if (count > best_count) {
      best = p;
      best_count = count;
      best_first = first;
      if (count == needles.size()) break;  // Nothing later can name more of them.
    }
  }
  if (paragraphs.empty()) return {};
  const std::string_view chosen = paragraphs[best];
  if (chosen.size() > budget) {
    const std::size_t begin = SentenceStartBefore(chosen, best_first, budget / 2);
    const std::size_t end =
        SentenceEndAfter(chosen, std::max(begin + budget, best_first + budget / 2));
    return std::string(chosen.substr(begin, end - begin));
  }
  std::string region(chosen);
  for (std::size_t p = best + 1;
       p < paragraphs.size() && region.size() + 1 + paragraphs[p].size() <= budget; ++p) {
    region += ' ';
    region += paragraphs[p];
  }
  return region;
}

// Xapian's snippets escape HTML; SNIPPET_FORMAT_TEXT asks for the plain text.
std::string UnescapeHtml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool replaced = false;
      for (const auto& [entity, c] : kEntities) {
        if (std::string_view(s).substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += s[i];
  }
  return out;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

StatusOr<Xapian::valueno> FacetSlot(v1::FacetField field) {
  switch (field) {
    case v1::FACET_FIELD_COUNTRY:
      return schema::kSlotFacetCountry;
    case v1::FACET_FIELD_DYAD:
      return schema::kSlotFacetDyad;
    case v1::FACET_FIELD_THEME:
      return schema::kSlotFacetTheme;
    case v1::FACET_FIELD_ERA:
      return schema::kSlotFacetEra;
    case v1::FACET_FIELD_DECADE:
      return schema::kSlotFacetDecade;
    case v1::FACET_FIELD_SOURCE:
      return schema::kSlotFacetSource;
    default:
      return InvalidArgument("facet field " + std::to_string(field) +
                             " is not one of country, dyad, theme, era, decade, source");
  }
}

}  // namespace

v1::ErrorCode ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return v1::ERROR_CODE_INVALID_ARGUMENT;
    case StatusCode::kNotFound:
      return v1::ERROR_CODE_NOT_FOUND;
    case StatusCode::kUnavailable:
    case StatusCode::kIoError:
      return v1::ERROR_CODE_UNAVAILABLE;
    case StatusCode::kUnauthenticated:
      return v1::ERROR_CODE_UNAUTHENTICATED;
    default:
      return v1::ERROR_CODE_INTERNAL;
  }
}

v1::Envelope ErrorEnvelope(std::uint64_t request_id, v1::ErrorCode code,
                           const std::string& message) {
  v1::Envelope envelope;
  envelope.set_request_id(request_id);
  envelope.set_protocol_version(kProtocolVersion);
  envelope.mutable_error()->set_code(code);
  envelope.mutable_error()->set_message(message);
  return envelope;
}

StatusOr<std::unique_ptr<QueryService>> QueryService::Open(const std::string& index_path,
                                                           const Enricher& enricher,
                                                           const QueryLimits& limits) {
  StatusOr<IndexSet> index = IndexSet::Open(index_path);
  if (!index.ok()) return index.status();
  StatusOr<Rankings> rankings = Rankings::Load();
  if (!rankings.ok()) return rankings.status();
  if (StatusOr<const v1::RankingConfig*> found = rankings->Find(limits.default_ranking);
      !found.ok()) {
    return found.status();
  }
  return std::unique_ptr<QueryService>(
      new QueryService(index_path, std::move(*index), enricher, limits, std::move(*rankings)));
}

QueryService::QueryService(std::string path, IndexSet index, const Enricher& enricher,
                           const QueryLimits& limits, Rankings rankings)
    : path_(std::move(path)),
      index_(std::move(index)),
      enricher_(enricher),
      analyzer_(enricher.analyzer()),
      limits_(limits),
      rankings_(std::move(rankings)),
      query_builder_(enricher),
      stemmer_(analyzer_.MakeStemmer()) {
  query_builder_.SetMaxWildcardExpansion(limits_.max_wildcard_expansion);
  query_builder_.SetDatabase(index_.database());
}

void QueryService::Use(IndexSet index) {
  index_ = std::move(index);
  query_builder_.SetDatabase(index_.database());
  freqs_.Reset(index_.revision());
}

Status QueryService::Reload() {
  StatusOr<IndexSet> index = IndexSet::Open(path_);
  if (!index.ok()) return index.status();
  Use(std::move(*index));
  ++reloads_;
  failed_stamp_.clear();
  return Status::Ok();
}

Status QueryService::Refresh() {
  const IndexStamp now = index_.Stamp();
  if (now == index_.opened_stamp() || now == failed_stamp_) return Status::Ok();
  Status status = Reload();
  if (!status.ok()) {
    failed_stamp_ = now;
    std::cerr << "dyad-searchd: the index at " << path_
              << " changed but cannot be reopened; still serving the previous one: "
              << status.message() << "\n";
  }
  return status;
}

v1::Envelope QueryService::Handle(const v1::Envelope& request) {
  const std::uint64_t id = request.request_id();
  if (request.protocol_version() > kProtocolVersion) {
    return ErrorEnvelope(id, v1::ERROR_CODE_UNSUPPORTED_VERSION,
                         "protocol version " + std::to_string(request.protocol_version()) +
                             " is newer than this server's " + std::to_string(kProtocolVersion));
  }
  v1::Envelope response;
  response.set_request_id(id);
  response.set_protocol_version(kProtocolVersion);
  const auto answer = [&](auto result, auto* slot) {
    if (!result.ok()) {
      return ErrorEnvelope(id, ErrorCodeFor(result.status()), result.status().message());
    }
    *slot = std::move(*result);
    return response;
  };
  try {
    switch (request.body_case()) {
      case v1::Envelope::kSearch:
        return answer(Search(request.search()), response.mutable_search_result());
      case v1::Envelope::kBatch:
        return answer(Batch(request.batch()), response.mutable_batch_result());
      case v1::Envelope::kHealth:
        return answer(Health(), response.mutable_health_result());
      case v1::Envelope::kGet:
        return answer(Get(request.get()), response.mutable_get_result());
      case v1::Envelope::BODY_NOT_SET:
        return ErrorEnvelope(id, v1::ERROR_CODE_INVALID_ARGUMENT, "envelope has no request");
      default:
        return ErrorEnvelope(id, v1::ERROR_CODE_INVALID_ARGUMENT,
                             "envelope holds a response, not a request");
    }
  } catch (const std::exception& e) {
    return ErrorEnvelope(id, v1::ERROR_CODE_INTERNAL, std::string("internal error: ") + e.what());
  } catch (const Xapian::Error& e) {
    return ErrorEnvelope(id, v1::ERROR_CODE_UNAVAILABLE, "index error: " + e.get_description());
  }
}

StatusOr<v1::SearchResponse> QueryService::Search(const v1::SearchRequest& request) {
  (void)Refresh();  // A failed reload is logged; the current index still answers.
  return SearchWithRetry(request);
}

StatusOr<v1::BatchResponse> QueryService::Batch(const v1::BatchRequest& batch) {
  if (static_cast<std::uint32_t>(batch.searches_size()) > limits_.max_batch) {
    return InvalidArgument("batch of " + std::to_string(batch.searches_size()) +
                           " searches is over the maximum of " + std::to_string(limits_.max_batch) +
                           "; split it");
  }
  (void)Refresh();
  v1::BatchResponse response;
  for (const v1::SearchRequest& search : batch.searches()) {
    v1::BatchItem* item = response.add_items();
    StatusOr<v1::SearchResponse> result = SearchWithRetry(search);
    if (result.ok()) {
      *item->mutable_search_result() = std::move(*result);
    } else {
      item->mutable_error()->set_code(ErrorCodeFor(result.status()));
      item->mutable_error()->set_message(result.status().message());
    }
  }
  return response;
}

StatusOr<v1::SearchResponse> QueryService::SearchWithRetry(const v1::SearchRequest& request) {
  if (request.query().size() > limits_.max_query_bytes) {
    return InvalidArgument("query is " + std::to_string(request.query().size()) +
                           " bytes; the limit is " + std::to_string(limits_.max_query_bytes));
  }
  if (request.limit() > limits_.max_limit) {
    return InvalidArgument("limit " + std::to_string(request.limit()) + " is over the maximum of " +
                           std::to_string(limits_.max_limit) + " results per page");
  }
  if (request.offset() > limits_.max_offset) {
    return InvalidArgument("offset " + std::to_string(request.offset()) +
                           " is over the maximum of " + std::to_string(limits_.max_offset) +
                           "; page through deep results with a cursor");
  }
  std::uint32_t offset = request.offset();
  std::uint64_t index_print = 0;
  if (!request.cursor().empty()) {
    if (request.offset() != 0)
      return InvalidArgument("give either an offset or a cursor, not both");
    StatusOr<Cursor> cursor = DecodeCursor(request.cursor());
    if (!cursor.ok()) return cursor.status();
    if (cursor->request != RequestFingerprint(request)) {
      return InvalidArgument(
          "the cursor belongs to another search (query, filters, sort or more_like differ)");
    }
    if (cursor->offset > std::numeric_limits<std::uint32_t>::max()) {
      return InvalidArgument("cursor offset is out of range");
    }
    offset = static_cast<std::uint32_t>(cursor->offset);
    index_print = cursor->index;
  }
  // A writer may have replaced blocks this reader still points at: reopen and try again.
  for (int attempt = 0;; ++attempt) {
    try {
      if (!request.cursor().empty() && IndexFingerprint(index_.database()) != index_print) {
        return InvalidArgument(
            "the index changed since this cursor was issued; start the export again");
      }
      return SearchOnce(request, offset);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 2) return Unavailable("the index kept changing during one search; retry");
      index_.database().reopen();
    } catch (const Xapian::Error& e) {
      return Unavailable("search failed: " + e.get_description());
    }
  }
}

StatusOr<Xapian::Query> QueryService::MoreLikeQuery(const std::string& id) {
  const std::string id_term = schema::BooleanTerm(schema::kPrefixId, id);
  Xapian::Database& database = index_.database();
  Xapian::PostingIterator posting = database.postlist_begin(id_term);
  if (posting == database.postlist_end(id_term)) {
    return NotFound("more_like: no article with id '" + id + "' in the index");
  }
  Xapian::RSet rset;
  rset.add_document(*posting);
  Xapian::Enquire enquire(database);
  // Stems of the unprefixed text ("Zpipelin"; not "ZSpipelin", the title's copy): one term per
  // word, no field or filter terms.
  struct BodyStems : Xapian::ExpandDecider {
    bool operator()(const std::string& term) const override {
      return term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
    }
  } stems;
  const Xapian::ESet eset =
      enquire.get_eset(limits_.more_like_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &stems);
  std::vector<Xapian::Query> terms;
  for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
  return Xapian::Query(Xapian::Query::OP_AND_NOT,
                       Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                       Xapian::Query(id_term));
}

void QueryService::Explain(const Xapian::Query& weighted, const Xapian::Weight& weight,
                           const std::map<std::string, double>& scales,
                           const Xapian::Enquire& enquire, const Xapian::MSetIterator& hit,
                           const std::string& id_term, v1::Hit* out) {
  // A term's share of a BM25 score does not depend on the other terms of the query (k2 = 0), so
  // the article's score for the term alone, times the term's scale (feedback terms), is its
  // contribution.
  std::vector<std::string> weighted_terms(weighted.get_unique_terms_begin(),
                                          weighted.get_unique_terms_end());
  std::vector<std::pair<double, std::string>> contributions;
  for (Xapian::TermIterator term = enquire.get_matching_terms_begin(hit);
       term != enquire.get_matching_terms_end(hit); ++term) {
    if ((*term).empty() ||
        !std::binary_search(weighted_terms.begin(), weighted_terms.end(), *term)) {
      continue;
    }
    Xapian::Enquire alone(index_.database());
    alone.set_weighting_scheme(weight);
    alone.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*term), Xapian::Query(id_term)));
    const Xapian::MSet mset = alone.get_mset(0, 1);
    const auto scale = scales.find(*term);
    contributions.emplace_back((mset.empty() ? 0.0 : mset.begin().get_weight()) *
                                   (scale == scales.end() ? 1.0 : scale->second),
                               *term);
  }
  std::sort(contributions.begin(), contributions.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [weight, term] : contributions) {
    v1::TermWeight* explained = out->add_explanation();
    explained->set_term(term);
    explained->set_weight(weight);
  }
}

StatusOr<v1::SearchResponse> QueryService::SearchOnce(const v1::SearchRequest& request,
                                                      std::uint32_t offset) {
  Xapian::Database& database = index_.database();
  StatusOr<const v1::RankingConfig*> ranking =
      rankings_.Find(request.ranking().empty() ? limits_.default_ranking : request.ranking());
  if (!ranking.ok()) return ranking.status();
  const Ranker ranker(enricher_, **ranking);
  // What ranks: the parsed query and the article the results should be like.
  const bool has_text = !IsBlank(request.query());
  Xapian::Query weighted;
  if (has_text) {
    StatusOr<Xapian::Query> parsed = ranker.Parse(query_builder_, request.query());
    if (!parsed.ok()) return parsed.status();
    weighted = std::move(*parsed);
  }
  if (!request.more_like().empty()) {
    StatusOr<Xapian::Query> like = MoreLikeQuery(request.more_like());
    if (!like.ok()) return like.status();
    weighted = has_text ? Xapian::Query(Xapian::Query::OP_AND, weighted, *like) : *like;
  } else if (!has_text) {
    // Only filters (or nothing): every article, unranked (document order).
    weighted = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0.0);
  }
  // What selects: the filters.
  StatusOr<Xapian::Query> filter = query_builder_.Filter(request.filters());
  if (!filter.ok()) return filter.status();
  const Xapian::BM25Weight weight = ranker.Weight();
  std::vector<std::unique_ptr<FacetSpy>> spies;  // Outlive the Enquire that points at them.
  Xapian::Enquire enquire(database);
  enquire.set_weighting_scheme(weight);
  switch (request.sort()) {
    case v1::SORT_ORDER_RELEVANCE:
      break;
    case v1::SORT_ORDER_DATE_DESC:
    case v1::SORT_ORDER_DATE_ASC:
      // By the value itself: the remote backend cannot run a KeyMaker.
      enquire.set_sort_by_value_then_relevance(schema::kSlotPublished,
                                               request.sort() == v1::SORT_ORDER_DATE_DESC);
      break;
    default:
      return InvalidArgument("sort " + std::to_string(request.sort()) +
                             " is not relevance, date_desc or date_asc");
  }

  const std::uint32_t limit = request.limit() == 0 ? limits_.default_limit : request.limit();
  // Facets: one spy per facet, all fed by the same match.
  for (const v1::FacetRequest& facet : request.facets()) {
    StatusOr<Xapian::valueno> slot = FacetSlot(facet.field());
    if (!slot.ok()) return slot.status();
    if (facet.limit() > limits_.max_facet_values) {
      return InvalidArgument("facet limit " + std::to_string(facet.limit()) +
                             " is over the maximum of " + std::to_string(limits_.max_facet_values));
    }
    spies.push_back(std::make_unique<FacetSpy>(*slot));
  }

  std::map<std::string, double> scales;  // Of the feedback terms, for explain.
  const Xapian::Query unexpanded = weighted;
  if (has_text && ranker.has_feedback()) {  // A first pass.
    LocalExpansion local;
    if (index_.shard_count() == 1 && !index_.has_remote_shards()) {
      // A reopen (SearchWithRetry, Health) may have moved to a new revision.
      if (const std::uint64_t revision = index_.revision(); revision != freqs_.revision()) {
        freqs_.Reset(revision);
      }
      local = {&database, &freqs_};
    }
    weighted = ranker.Feedback(enquire, weighted, *filter, &scales, local);
  }

  // Exact facets count every match. Feedback that does not widen leaves the matches those of
  // the query without it, so the spies count them in a pass of that query without weights
  // (BoolWeight), and the final pass only ranks the page, as it does without facets: one pass
  // over every match without the feedback terms (a few, unweighted) instead of one weighing the
  // feedback terms (often 30) on every match. Sampled facets stay on the final pass (which
  // matches a sample holds depends on the query).
  std::optional<Xapian::MSet> counted_apart;
  Xapian::doccount check_at_least = 0;
  if (!spies.empty() && request.exact_facets() && !scales.empty() && !ranker.feedback_widens()) {
    Xapian::Enquire counter(database);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_query(filter->empty()
                          ? unexpanded
                          : Xapian::Query(Xapian::Query::OP_FILTER, unexpanded, *filter));
    for (const auto& spy : spies) counter.add_matchspy(spy.get());
    counted_apart = counter.get_mset(0, 0, database.get_doccount());
  } else if (!spies.empty()) {
    for (const auto& spy : spies) enquire.add_matchspy(spy.get());
    check_at_least = request.exact_facets() ? database.get_doccount()
                                            : std::max(limits_.facet_sample, offset + limit);
  }
  const Xapian::Query query =
      filter->empty() ? weighted : Xapian::Query(Xapian::Query::OP_FILTER, weighted, *filter);

  const std::uint32_t snippet_length = std::min(
      request.snippet_length() == 0 ? limits_.default_snippet_length : request.snippet_length(),
      limits_.max_snippet_length);
  const bool default_markers = request.highlight_start().empty() && request.highlight_end().empty();
  const std::string hi_start = default_markers ? "<b>" : request.highlight_start();
  const std::string hi_end = default_markers ? "</b>" : request.highlight_end();

  enquire.set_query(query);
  // One match more than the page, to know whether a next page exists.
  const Xapian::MSet mset = enquire.get_mset(offset, limit + 1, check_at_least);
  // Match counts come from the pass that looked at every match.
  const Xapian::MSet& counted = counted_apart.has_value() ? *counted_apart : mset;
  // Snippets highlight the query's own words, not the feedback terms: the terms and weights a
  // snippet uses are those of the MSet's query. Its statistics are all a snippet needs, and
  // Xapian gathers them before matching: an MSet of no documents has them.
  Xapian::MSet highlighter = mset;
  if (!scales.empty() && !mset.empty()) {
    Xapian::Enquire words(database);
    words.set_weighting_scheme(weight);
    words.set_query(unexpanded);
    highlighter = words.get_mset(0, 0);
  }

  v1::SearchResponse response;
  response.set_total_estimate(counted.get_matches_estimated());
  response.set_matches_lower_bound(counted.get_matches_lower_bound());
  response.set_matches_upper_bound(counted.get_matches_upper_bound());
  response.set_offset(offset);
  const std::vector<std::string> needles = SnippetNeedles(unexpanded);
  const std::size_t snippet_budget = SnippetBudget(snippet_length);
  std::uint32_t rank = offset;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end() && rank < offset + limit; ++it) {
    v1::StoredArticle article;
    if (!article.ParseFromString(it.get_document().get_data())) {
      return DataLoss("stored article of document " + std::to_string(*it) +
                      " is corrupt; rebuild the index");
    }
    v1::Hit* hit = response.add_hits();
    hit->set_rank(++rank);
    hit->set_id(article.id());
    // Moved out: the snippet needs only the key points, sections and author note.
    hit->set_title(std::move(*article.mutable_title()));
    hit->set_score(it.get_weight());
    hit->set_source(std::move(*article.mutable_source()));
    hit->set_published(std::move(*article.mutable_published()));
    hit->mutable_authors()->Swap(article.mutable_authors());
    hit->mutable_enrichment()->Swap(article.mutable_enrichment());
    std::string snippet = highlighter.snippet(
        analyzer_.NormalizeForDisplay(SnippetRegion(article, needles, snippet_budget)),
        snippet_length, stemmer_,
        Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE, hi_start, hi_end,
        "…");
    hit->set_snippet(request.snippet_format() == v1::SNIPPET_FORMAT_TEXT ? UnescapeHtml(snippet)
                                                                         : std::move(snippet));
    if (request.explain()) {
      Explain(weighted, weight, scales, enquire, it,
              schema::BooleanTerm(schema::kPrefixId, article.id()), hit);
    }
  }
  if (mset.size() > limit) {
    response.set_next_cursor(
        EncodeCursor({offset + static_cast<std::uint64_t>(limit), RequestFingerprint(request),
                      IndexFingerprint(database)}));
  }

  const bool all_seen = counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
  for (std::size_t i = 0; i < spies.size(); ++i) {
    const FacetSpy& spy = *spies[i];
    const std::vector<FacetCount> counts = spy.Counts();
    v1::FacetResult* facet = response.add_facets();
    facet->set_field(request.facets(static_cast<int>(i)).field());
    facet->set_distinct_values(counts.size());
    facet->set_documents_counted(spy.documents());
    facet->set_exact(all_seen && spy.documents() == counted.get_matches_lower_bound());
    const std::uint32_t wanted = request.facets(static_cast<int>(i)).limit() == 0
                                     ? limits_.default_facet_values
                                     : request.facets(static_cast<int>(i)).limit();
    for (std::size_t j = 0; j < counts.size() && j < wanted; ++j) {
      v1::FacetValue* value = facet->add_values();
      value->set_value(counts[j].value);
      value->set_count(counts[j].count);
    }
  }

  if (request.spelling() && has_text) {
    response.set_corrected_query(query_builder_.CorrectedQuery(request.query()));
  }
  return response;
}

StatusOr<v1::HealthResponse> QueryService::Health() {
  (void)Refresh();
  try {
    index_.database().reopen();
    v1::HealthResponse health;
    health.set_article_count(index_.database().get_doccount());
    health.set_schema_version(schema::kSchemaVersion);
    health.set_index_revision(index_.revision());
    return health;
  } catch (const Xapian::Error& e) {
    return Unavailable("index unreadable: " + e.get_description());
  }
}

StatusOr<v1::GetArticleResponse> QueryService::Get(const v1::GetArticleRequest& request) {
  // Xapian terms are at most 245 bytes; no id term is longer than this.
  constexpr std::size_t kMaxIdBytes = 200;
  if (request.id().empty()) return InvalidArgument("get needs an article id");
  if (request.id().size() > kMaxIdBytes) {
    return InvalidArgument("article id is " + std::to_string(request.id().size()) +
                           " bytes; ids are at most " + std::to_string(kMaxIdBytes));
  }
  (void)Refresh();
  const std::string term = schema::BooleanTerm(schema::kPrefixId, request.id());
  for (int attempt = 0;; ++attempt) {
    try {
      Xapian::Database& database = index_.database();
      Xapian::PostingIterator posting = database.postlist_begin(term);
      if (posting == database.postlist_end(term)) {
        return NotFound("no article with id '" + request.id() + "'");
      }
      v1::GetArticleResponse response;
      const std::string data = database.get_document(*posting).get_data();
      if (!response.mutable_article()->ParseFromString(data)) {
        return DataLoss("stored article '" + request.id() + "' is corrupt; rebuild the index");
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 2) return Unavailable("the index kept changing during one get; retry");
      index_.database().reopen();
    } catch (const Xapian::Error& e) {
      return Unavailable("get failed: " + e.get_description());
    }
  }
}

}  // namespace dyad
