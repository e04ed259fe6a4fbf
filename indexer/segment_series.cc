#include "indexer/segment_series.h"

#include <algorithm>
#include <filesystem>

#include "core/schema.h"

namespace dyad {

SegmentSeries::SegmentSeries(std::string path, std::size_t max_segments)
    : path_(std::move(path)), max_segments_(std::max<std::size_t>(2, max_segments)) {}

Xapian::WritableDatabase& SegmentSeries::Open() {
  if (open_) return *open_;
  segments_.push_back({path_ + "." + std::to_string(next_++), 0});
  open_.emplace(segments_.back().path, Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
  open_->set_metadata(schema::kMetaSchemaVersion, std::to_string(schema::kSchemaVersion));
  return *open_;
}

void SegmentSeries::Close() {
  if (!open_) return;
  open_->commit();
  open_->close();
  open_.reset();
  while (segments_.size() >= max_segments_) {
    const auto first = segments_.end() - static_cast<std::ptrdiff_t>(max_segments_);
    const int level = first->level;
    if (!std::all_of(first, segments_.end(), [&](const Segment& s) { return s.level == level; })) {
      break;
    }
    Compact(first - segments_.begin(), level + 1);
  }
}

void SegmentSeries::Finish() {
  Close();
  if (segments_.size() > max_segments_) Compact(0, segments_.back().level + 1);
}

void SegmentSeries::Compact(std::ptrdiff_t from, int level) {
  const auto first = segments_.begin() + from;
  Xapian::Database run;
  for (auto it = first; it != segments_.end(); ++it) run.add_database(Xapian::Database(it->path));
  Segment merged{path_ + "." + std::to_string(next_++), level};
  run.compact(merged.path);  // Documents keep their order.
  run.close();
  for (auto it = first; it != segments_.end(); ++it) std::filesystem::remove_all(it->path);
  segments_.erase(first, segments_.end());
  segments_.push_back(std::move(merged));
}

bool SegmentSeries::RemoveFromClosed(const std::string& id_term) {
  const auto closed_end = segments_.rend();
  for (auto it = segments_.rbegin() + (open_ ? 1 : 0); it != closed_end; ++it) {
    if (!Xapian::Database(it->path).term_exists(id_term)) continue;
    Xapian::WritableDatabase segment(it->path, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
    segment.delete_document(id_term);
    segment.commit();
    return true;
  }
  return false;
}

std::vector<std::string> SegmentSeries::paths() const {
  std::vector<std::string> paths;
  for (const Segment& segment : segments_) paths.push_back(segment.path);
  return paths;
}

}  // namespace dyad
