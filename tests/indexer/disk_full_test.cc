// A build that runs out of disk space (a small tmpfs, so root only; skipped with a message
// otherwise): a clear error, the published index untouched and searchable, nothing left behind,
// and the next build that fits succeeds.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "indexer/index_folder.h"
#include "tests/indexer/index_contents.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

// The first `count` State of the Union speeches (in name order) into `folder`.
void CopySpeeches(const fs::path& folder, std::size_t count) {
  std::vector<fs::path> speeches;
  for (const auto& entry : fs::directory_iterator(DYAD_SOURCE_DIR "/corpus/sotu")) {
    speeches.push_back(entry.path());
  }
  std::sort(speeches.begin(), speeches.end());
  fs::create_directories(folder);
  for (std::size_t i = 0; i < count && i < speeches.size(); ++i) {
    fs::copy_file(speeches[i], folder / speeches[i].filename(),
                  fs::copy_options::overwrite_existing);
  }
}

testutil::RunResult Build(const std::string& corpus, const std::string& index) {
  return testutil::RunCommand(
      {DYAD_INDEX_BIN, "build", corpus, "--index", index, "--prune", "--quiet"});
}

// A tmpfs of `megabytes` mounted on `path` for the test's lifetime (needs root).
class SmallDisk {
 public:
  SmallDisk(const std::string& path, int megabytes) : path_(path) {
    fs::create_directories(path);
    const std::string options = "size=" + std::to_string(megabytes) + "m,mode=0700";
    if (mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::uint64_t used_bytes() const {
    struct statvfs st {};
    if (statvfs(path_.c_str(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.f_blocks - st.f_bfree) * st.f_frsize;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

TEST(DiskFullTest, ABuildThatRunsOutOfSpaceFailsClearlyAndKeepsThePublishedIndex) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to mount a small tmpfs; run the tests as root to include "
                    "the disk-full case";
  }
  testutil::TempDir dir;
  SmallDisk disk(dir.Sub("disk"), 2);
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); disk-full case skipped";
  }
  const std::string index = dir.Sub("disk/index");
  CopySpeeches(dir.path() / "small", 3);
  ASSERT_EQ(Build(dir.Sub("small"), index).exit_code, 0);
  const auto published = PublishedGeneration(index);
  ASSERT_TRUE(published.ok() && published->has_value());
  const auto before = testutil::IndexContents(index);
  const std::uint64_t used_before = disk.used_bytes();

  // Sixty speeches (1.5 MB of text, an index of about 3.5 MB) cannot fit in 2 MB.
  CopySpeeches(dir.path() / "small", 60);
  const auto full = Build(dir.Sub("small"), index);
  EXPECT_NE(full.exit_code, 0);
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  EXPECT_EQ(PublishedGeneration(index).value(), *published);
  EXPECT_EQ(testutil::IndexContents(index), before);
  Xapian::Database database(index);
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query("congress"));
  EXPECT_GT(enquire.get_mset(0, 10).size(), 0u);
  // The failed build left nothing behind to fill the disk...
  EXPECT_LT(disk.used_bytes(), used_before + 256 * 1024) << "bytes left by the failed build";
  // ...so a build that fits succeeds.
  fs::remove_all(dir.path() / "small");
  CopySpeeches(dir.path() / "small", 4);
  const auto rerun = Build(dir.Sub("small"), index);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_NE(PublishedGeneration(index).value(), *published);
}

}  // namespace
}  // namespace dyad
