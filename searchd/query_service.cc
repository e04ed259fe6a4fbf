#include "searchd/query_service.h"

#include <algorithm>

#include "core/schema.h"
#include "dyad/v1/article.pb.h"

namespace dyad {
namespace {

constexpr std::uint32_t kProtocolVersion = v1::PROTOCOL_VERSION_1;

// The text a snippet is cut from: key points, then the body, then the author note.
std::string SnippetSource(const v1::StoredArticle& article) {
  std::string text;
  const auto add = [&](const std::string& part) {
    if (part.empty()) return;
    if (!text.empty()) text += ' ';
    text += part;
  };
  for (const v1::KeyPoint& point : article.key_points()) add(point.text());
  for (const v1::Section& section : article.sections()) {
    for (const std::string& paragraph : section.paragraphs()) add(paragraph);
  }
  add(article.author_note());
  return text;
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

}  // namespace

v1::ErrorCode ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return v1::ERROR_CODE_INVALID_ARGUMENT;
    case StatusCode::kNotFound: return v1::ERROR_CODE_NOT_FOUND;
    case StatusCode::kUnavailable:
    case StatusCode::kIoError: return v1::ERROR_CODE_UNAVAILABLE;
    case StatusCode::kUnauthenticated: return v1::ERROR_CODE_UNAUTHENTICATED;
    default: return v1::ERROR_CODE_INTERNAL;
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
  try {
    Xapian::Database database(index_path);
    const std::string version = database.get_metadata(schema::kMetaSchemaVersion);
    if (version != std::to_string(schema::kSchemaVersion)) {
      return FailedPrecondition(
          index_path + " is not a Dyad index of schema version " +
          std::to_string(schema::kSchemaVersion) + " (found '" + version +
          "'); rebuild it with this version's dyad-index");
    }
    return std::unique_ptr<QueryService>(new QueryService(std::move(database), enricher, limits));
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return NotFound("no index at " + index_path + " (" + e.get_msg() +
                    "); build one with dyad-index build INPUT --index " + index_path);
  } catch (const Xapian::Error& e) {
    return Unavailable("cannot open index " + index_path + ": " + e.get_description());
  }
}

QueryService::QueryService(Xapian::Database database, const Enricher& enricher,
                           const QueryLimits& limits)
    : database_(std::move(database)),
      analyzer_(enricher.analyzer()),
      limits_(limits),
      query_builder_(enricher),
      stemmer_(analyzer_.MakeStemmer()) {
  query_builder_.SetDatabase(database_);
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
  try {
    switch (request.body_case()) {
      case v1::Envelope::kSearch: {
        StatusOr<v1::SearchResponse> result = Search(request.search());
        if (!result.ok()) {
          return ErrorEnvelope(id, ErrorCodeFor(result.status()), result.status().message());
        }
        *response.mutable_search_result() = std::move(*result);
        return response;
      }
      case v1::Envelope::kHealth: {
        StatusOr<v1::HealthResponse> result = Health();
        if (!result.ok()) {
          return ErrorEnvelope(id, ErrorCodeFor(result.status()), result.status().message());
        }
        *response.mutable_health_result() = std::move(*result);
        return response;
      }
      case v1::Envelope::kGet: {
        StatusOr<v1::GetArticleResponse> result = Get(request.get());
        if (!result.ok()) {
          return ErrorEnvelope(id, ErrorCodeFor(result.status()), result.status().message());
        }
        *response.mutable_get_result() = std::move(*result);
        return response;
      }
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
                           " is over the maximum of " + std::to_string(limits_.max_offset));
  }
  // A writer may have replaced blocks this reader still points at: reopen and try once more.
  for (int attempt = 0;; ++attempt) {
    try {
      return SearchOnce(request);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt > 0) return Unavailable("the index changed twice during one search; retry");
      database_.reopen();
    } catch (const Xapian::Error& e) {
      return Unavailable("search failed: " + e.get_description());
    }
  }
}

StatusOr<v1::SearchResponse> QueryService::SearchOnce(const v1::SearchRequest& request) {
  StatusOr<Xapian::Query> query = query_builder_.Parse(request.query());
  if (!query.ok()) return query.status();

  const std::uint32_t limit = request.limit() == 0 ? limits_.default_limit : request.limit();
  const std::uint32_t snippet_length =
      std::min(request.snippet_length() == 0 ? limits_.default_snippet_length
                                             : request.snippet_length(),
               limits_.max_snippet_length);
  const std::string hi_start = request.highlight_start().empty() && request.highlight_end().empty()
                                   ? "<b>" : request.highlight_start();
  const std::string hi_end = request.highlight_start().empty() && request.highlight_end().empty()
                                 ? "</b>" : request.highlight_end();

  Xapian::Enquire enquire(database_);
  enquire.set_query(*query);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  Xapian::MSet mset = enquire.get_mset(request.offset(), limit);

  v1::SearchResponse response;
  response.set_total_estimate(mset.get_matches_estimated());
  response.set_offset(request.offset());
  std::uint32_t rank = request.offset();
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    v1::StoredArticle article;
    if (!article.ParseFromString(it.get_document().get_data())) {
      return DataLoss("stored article of document " + std::to_string(*it) +
                      " is corrupt; rebuild the index");
    }
    v1::Hit* hit = response.add_hits();
    hit->set_rank(++rank);
    hit->set_id(article.id());
    hit->set_title(article.title());
    hit->set_score(it.get_weight());
    hit->set_source(article.source());
    hit->set_published(article.published());
    *hit->mutable_authors() = article.authors();
    *hit->mutable_enrichment() = article.enrichment();
    std::string snippet = mset.snippet(
        analyzer_.NormalizeForDisplay(SnippetSource(article)), snippet_length, stemmer_,
        Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE, hi_start,
        hi_end, "…");
    hit->set_snippet(request.snippet_format() == v1::SNIPPET_FORMAT_TEXT ? UnescapeHtml(snippet)
                                                                         : std::move(snippet));
  }
  return response;
}

StatusOr<v1::HealthResponse> QueryService::Health() {
  try {
    database_.reopen();
    v1::HealthResponse health;
    health.set_article_count(database_.get_doccount());
    health.set_schema_version(schema::kSchemaVersion);
    health.set_index_revision(database_.get_revision());
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
  const std::string term = schema::BooleanTerm(schema::kPrefixId, request.id());
  for (int attempt = 0;; ++attempt) {
    try {
      Xapian::PostingIterator posting = database_.postlist_begin(term);
      if (posting == database_.postlist_end(term)) {
        return NotFound("no article with id '" + request.id() + "'");
      }
      v1::GetArticleResponse response;
      const std::string data = database_.get_document(*posting).get_data();
      if (!response.mutable_article()->ParseFromString(data)) {
        return DataLoss("stored article '" + request.id() + "' is corrupt; rebuild the index");
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt > 0) return Unavailable("the index changed twice during one get; retry");
      database_.reopen();
    } catch (const Xapian::Error& e) {
      return Unavailable("get failed: " + e.get_description());
    }
  }
}

}  // namespace dyad
