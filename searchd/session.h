// One client connection of dyad-searchd (binary protocol, see proto/dyad/v1/envelope.proto).
#ifndef DYAD_SEARCHD_SESSION_H_
#define DYAD_SEARCHD_SESSION_H_

#include <array>
#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "dyad/v1/envelope.pb.h"
#include "proto/frame.h"

namespace dyad {

class Server;

// All members run on the socket's strand. Requests go to the server's WorkerPool; responses
// come back through the strand and are written in completion order (clients match them by
// request_id). No exception leaves a handler.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, Server& server);

  void Start();
  // Closes the connection; thread-safe (posts to the strand).
  void Close();

 private:
  void Read();
  void OnRead(const boost::system::error_code& error, std::size_t bytes);
  void Dispatch(const std::string& payload);
  void Send(const v1::Envelope& envelope);
  void Write();
  void Shutdown();
  // (Re)arms the timer for what the connection waits for from its client (see ServerOptions).
  void Watch();
  // Counts and logs one answer.
  void Record(const std::string& kind, const v1::Envelope& response,
              std::chrono::steady_clock::time_point started);

  boost::asio::ip::tcp::socket socket_;
  Server& server_;
  std::string peer_;
  FrameDecoder decoder_;
  std::array<char, 16 * 1024> buffer_;
  std::deque<std::string> outbox_;
  boost::asio::steady_timer timer_;
  std::uint64_t watch_ = 0;  // Bumped by each Watch(); a timer of an older one is stale.
  std::chrono::steady_clock::time_point frame_started_;  // First byte of the partial frame.
  std::chrono::steady_clock::time_point write_started_;  // Of the write under way.
  std::size_t in_flight_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool closed_ = false;
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_SESSION_H_
