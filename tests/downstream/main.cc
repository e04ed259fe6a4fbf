// dyad-sample HOST:PORT QUERY: asks a running dyad-searchd for QUERY through the installed client
// library and prints the top hits and the theme facet, one item per line:
//   hit RANK ID TITLE
//   theme VALUE COUNT
// Exit status 0 on an answer (even with no hits), 1 when the daemon cannot be asked, 2 on usage.
#include <cstdlib>
#include <iostream>
#include <string>

#include "clients/client.h"
#include "core/version.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dyad-sample HOST:PORT QUERY   (Dyad client library " << dyad::Version()
              << ")\n";
    return 2;
  }
  const auto address = dyad::ParseHostPort(argv[1]);
  if (!address.ok()) {
    std::cerr << "dyad-sample: " << address.status().ToString() << "\n";
    return 2;
  }
  auto client = dyad::Client::Connect(address->first, address->second);
  if (!client.ok()) {
    std::cerr << "dyad-sample: " << client.status().ToString() << "\n";
    return 1;
  }
  if (const char* token = std::getenv("DYAD_TOKEN"); token != nullptr) {
    (*client)->set_token(token);
  }

  dyad::v1::SearchRequest request;
  request.set_query(argv[2]);
  request.set_limit(5);
  dyad::v1::FacetRequest* themes = request.add_facets();
  themes->set_field(dyad::v1::FACET_FIELD_THEME);
  themes->set_limit(5);
  request.set_exact_facets(true);

  const auto response = (*client)->Search(request);
  if (!response.ok()) {
    std::cerr << "dyad-sample: " << response.status().ToString() << "\n";
    return 1;
  }
  for (const dyad::v1::Hit& hit : response->hits()) {
    std::cout << "hit " << hit.rank() << " " << hit.id() << " " << hit.title() << "\n";
  }
  for (const dyad::v1::FacetResult& facet : response->facets()) {
    for (const dyad::v1::FacetValue& value : facet.values()) {
      std::cout << "theme " << value.value() << " " << value.count() << "\n";
    }
  }
  return 0;
}
