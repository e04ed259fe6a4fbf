#include "core/expansion.h"

#include <algorithm>
#include <cmath>

namespace dyad {

Xapian::doccount TermFreqCache::Get(const Xapian::Database& database, const std::string& term) {
  if (const auto found = freqs_.find(term); found != freqs_.end()) return found->second;
  if (freqs_.size() >= kMaxTerms) freqs_.clear();
  const Xapian::doccount freq = database.get_termfreq(term);
  freqs_.emplace(term, freq);
  return freq;
}

void TermFreqCache::Reset(std::uint64_t revision) {
  freqs_.clear();
  revision_ = revision;
}

namespace {

// One relevant document's candidate terms.
struct DocumentTerms {
  Xapian::termcount size = 0;  // All its terms, accepted or not: what orders Xapian's tree.
  Xapian::termcount length = 0;
  std::vector<std::pair<std::string, Xapian::termcount>> terms;  // Accepted, with wdf.
};

// A node of the merge tree: a leaf (a document, `left` < 0) or the union of two subtrees.
struct Node {
  Xapian::termcount size = 0;
  int left = -1, right = -1;
  int document = -1;
};

// The documents in the order in which Xapian's OrTermList tree adds up a term's statistics: the
// tree's leaves from left to right. The tree is built as esetinternal.cc builds it: a heap with
// the smallest list on top; the two smallest are joined (the second smallest on the left) and
// the union goes back, until one remains. The same heap algorithms on the same sizes give the
// same tree.
std::vector<int> MergeOrder(const std::vector<DocumentTerms>& documents) {
  std::vector<Node> nodes;
  std::vector<int> heap;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    nodes.push_back({documents[i].size, -1, -1, static_cast<int>(i)});
    heap.push_back(static_cast<int>(i));
  }
  const auto larger = [&](int a, int b) { return nodes[a].size > nodes[b].size; };
  int root = heap.empty() ? -1 : heap.front();
  if (heap.size() > 1) {
    std::make_heap(heap.begin(), heap.end(), larger);
    while (true) {
      const int right = heap.front();
      std::pop_heap(heap.begin(), heap.end(), larger);
      heap.pop_back();
      const int left = heap.front();
      nodes.push_back({nodes[left].size + nodes[right].size, left, right, -1});
      const int joined = static_cast<int>(nodes.size()) - 1;
      if (heap.size() == 1) {
        root = joined;
        break;
      }
      std::pop_heap(heap.begin(), heap.end(), larger);
      heap.back() = joined;
      std::push_heap(heap.begin(), heap.end(), larger);
    }
  }
  std::vector<int> order;
  std::vector<int> stack;
  for (int at = root; at >= 0 || !stack.empty();) {
    if (at >= 0) {
      if (nodes[at].document >= 0) {
        order.push_back(nodes[at].document);
        at = -1;
      } else {
        stack.push_back(nodes[at].right);
        at = nodes[at].left;
      }
    } else {
      at = stack.back();
      stack.pop_back();
    }
  }
  return order;
}

struct TermStats {
  Xapian::doccount rtermfreq = 0;
  double multiplier = 0;
};

}  // namespace

std::vector<ExpansionTerm> TradExpansion(const Xapian::Database& database,
                                         const std::vector<Xapian::docid>& rset,
                                         std::size_t max_terms,
                                         const std::function<bool(const std::string&)>& accept,
                                         TermFreqCache& freqs, double expand_k) {
  if (rset.empty() || max_terms == 0) return {};
  std::vector<DocumentTerms> documents(rset.size());
  for (std::size_t i = 0; i < rset.size(); ++i) {
    DocumentTerms& document = documents[i];
    document.length = database.get_doclength(rset[i]);
    for (Xapian::TermIterator t = database.termlist_begin(rset[i]);
         t != database.termlist_end(rset[i]); ++t) {
      ++document.size;
      std::string term = *t;
      if (accept(term)) document.terms.emplace_back(std::move(term), t.get_wdf());
    }
  }
  const double avlen = database.get_avlength();
  std::unordered_map<std::string, TermStats> stats;
  for (const int d : MergeOrder(documents)) {
    const DocumentTerms& document = documents[d];
    for (const auto& [term, stored_wdf] : document.terms) {
      // As ExpandStats::accumulate: a boolean term (wdf 0) counts as 1.
      const Xapian::termcount wdf = stored_wdf == 0 ? 1 : stored_wdf;
      TermStats& s = stats[term];
      ++s.rtermfreq;
      s.multiplier += (expand_k + 1) * wdf / (expand_k * document.length / avlen + wdf);
    }
  }
  const double dbsize = database.get_doccount();
  const double rsize = static_cast<double>(rset.size());
  // Xapian's selection, step by step (its result depends on the order of the steps when weights
  // tie): terms in byte order; one weighing no more than the worst kept so far (at first 0) is
  // dropped; past max_terms the worst goes. "Better" is a higher weight, then the lexically
  // larger term, as Xapian's ExpandTerm orders them.
  const auto better = [](const ExpansionTerm& a, const ExpansionTerm& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.term > b.term;
  };
  std::vector<const std::string*> order;
  order.reserve(stats.size());
  for (const auto& entry : stats) order.push_back(&entry.first);
  std::sort(order.begin(), order.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  std::vector<ExpansionTerm> terms;
  double min_weight = 0;
  bool is_heap = false;
  for (const std::string* term : order) {
    const TermStats& s = stats.find(*term)->second;
    // TradEWeight::get_weight.
    const double termfreq = freqs.Get(database, *term);
    const double reldocs_without_term = rsize - s.rtermfreq;
    const double num = (s.rtermfreq + 0.5) * (dbsize - termfreq - reldocs_without_term + 0.5);
    const double denom = (termfreq - s.rtermfreq + 0.5) * (reldocs_without_term + 0.5);
    const double weight = s.multiplier * std::log(num / denom);
    if (weight <= min_weight) continue;
    terms.push_back({*term, weight});
    if (terms.size() > max_terms) {
      if (!is_heap) {
        is_heap = true;
        std::make_heap(terms.begin(), terms.end(), better);
      } else {
        std::push_heap(terms.begin(), terms.end(), better);
      }
      std::pop_heap(terms.begin(), terms.end(), better);
      terms.pop_back();
      min_weight = terms.front().weight;
    }
  }
  if (is_heap) {
    std::sort_heap(terms.begin(), terms.end(), better);
  } else {
    std::sort(terms.begin(), terms.end(), better);
  }
  return terms;
}

}  // namespace dyad
