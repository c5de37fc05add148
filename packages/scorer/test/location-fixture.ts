/**
 * Hand-written profile locations (our own strings, in the styles seen on X) and the one country
 * each names; null = not a place, or ambiguous. Used by the eval and by tests.
 */
export const LOCATION_FIXTURE: [string, string | null][] = [
  // countries, English and other languages
  ["United States", "US"], ["USA", "US"], ["U.S.A.", "US"], ["America", "US"], ["United Kingdom", "GB"], ["UK", "GB"],
  ["England", "GB"], ["Scotland", "GB"], ["Germany", "DE"], ["Deutschland", "DE"], ["France", "FR"], ["España", "ES"],
  ["Spain", "ES"], ["Italia", "IT"], ["Brasil", "BR"], ["Brazil", "BR"], ["México", "MX"], ["Nederland", "NL"],
  ["Holland", "NL"], ["Türkiye", "TR"], ["Turkey 🇹🇷", "TR"], ["日本", "JP"], ["Japan", "JP"], ["中国", "CN"],
  ["대한민국", "KR"], ["South Korea", "KR"], ["Россия", "RU"], ["Việt Nam", "VN"], ["Vietnam", "VN"], ["Nigeria", "NG"],
  ["India", "IN"], ["Indonesia", "ID"], ["Philippines", "PH"], ["Argentina", "AR"], ["Canada", "CA"], ["Australia", "AU"],
  ["Switzerland", "CH"], ["Schweiz", "CH"], ["Suisse", "CH"], ["Polska", "PL"], ["Україна", "UA"], ["Ukraine", "UA"],
  ["UAE", "AE"], ["United Arab Emirates", "AE"], ["Singapore", "SG"], ["Hong Kong", "HK"], ["Portugal", "PT"],
  ["South Africa", "ZA"], ["Kenya", "KE"], ["Thailand", "TH"], ["ไทย", "TH"], ["Thailand 🇹🇭", "TH"], ["Ireland", "IE"],
  // cities, alone and with region/country
  ["London", "GB"], ["London, England", "GB"], ["London, UK", "GB"], ["Paris", "FR"], ["Paris, France", "FR"],
  ["Berlin", "DE"], ["Berlin, Germany", "DE"], ["Lagos, Nigeria", "NG"], ["Lagos", "NG"], ["Mumbai", "IN"],
  ["Bangalore, India", "IN"], ["Bengaluru", "IN"], ["New Delhi, India", "IN"], ["Tokyo", "JP"], ["Seoul, South Korea", "KR"],
  ["Dubai", "AE"], ["Dubai, UAE", "AE"], ["Abu Dhabi", "AE"], ["Toronto, Ontario", "CA"], ["Toronto", "CA"],
  ["Vancouver, BC", "CA"], ["Sydney, Australia", "AU"], ["Melbourne", "AU"], ["Lisbon", "PT"], ["Lisboa, Portugal", "PT"],
  ["Zug, Switzerland", "CH"], ["Zürich", "CH"], ["Istanbul", "TR"], ["São Paulo, Brasil", "BR"], ["Buenos Aires", "AR"],
  ["Mexico City", "MX"], ["CDMX", "MX"], ["Ho Chi Minh City", "VN"], ["Kyiv, Ukraine", "UA"], ["Tel Aviv", "IL"],
  ["Amsterdam", "NL"], ["Madrid, Spain", "ES"], ["Milano", "IT"], ["Munich", "DE"], ["München", "DE"],
  ["Manila", "PH"], ["Jakarta", "ID"], ["Nairobi, Kenya", "KE"], ["Cape Town", "ZA"], ["Bangkok", "TH"],
  // US cities, states, abbreviations
  ["New York, NY", "US"], ["NYC", "US"], ["New York City", "US"], ["Brooklyn, NY", "US"], ["San Francisco, CA", "US"],
  ["SF", "US"], ["Bay Area", "US"], ["Los Angeles", "US"], ["LA", "US"], ["Austin, TX", "US"], ["Miami, FL", "US"],
  ["Miami", "US"], ["Chicago, IL", "US"], ["Denver, CO", "US"], ["Seattle, WA", "US"], ["Boston", "US"],
  ["Washington, DC", "US"], ["Texas", "US"], ["California", "US"], ["Florida, USA", "US"], ["Texas, USA", "US"],
  ["Ohio", "US"], ["Portland, OR", "US"], ["Atlanta, GA", "US"], ["Georgia, USA", "US"], ["Tbilisi, Georgia", "GE"],
  // flags and decorated strings
  ["🇺🇸", "US"], ["🇬🇧", "GB"], ["🇳🇬", "NG"], ["🇸🇬 Singapore", "SG"], ["Toronto 🇨🇦", "CA"], ["Berlin 🇩🇪", "DE"],
  ["NYC 🗽", "US"], ["London 🇬🇧 | Web3", "GB"], ["Based in Lisbon", "PT"], ["Dubai 🌴", "AE"], ["Seoul 🇰🇷", "KR"],
  ["Paris 🇫🇷 / Web3", "FR"],
  // non-places and blanks
  ["Metaverse", null], ["Earth", null], ["Planet Earth", null], ["Web3", null], ["Crypto Ocean", null], ["on-chain", null],
  ["On Chain", null], ["🌍", null], ["🚀🌕", null], ["", null], ["   ", null], ["Everywhere", null], ["The Moon", null],
  ["Mars", null], ["Internet", null], ["worldwide", null], ["Global", null], ["DeFi", null], ["Ethereum", null],
  ["Solana", null], ["your mom's house", null], ["In my wallet", null], ["Cloud 9", null], ["Somewhere", null],
  ["home", null], ["ngmi land", null], ["Block 19000000", null], ["localhost", null], ["Decentraland", null],
  // ambiguous: two countries, or a name shared by a state and a country
  ["Georgia", null], ["🇺🇸🇬🇧", null], ["London / Dubai", null], ["NYC & London", null], ["USA / UK", null],
  ["Cambridge", null], ["Birmingham", null], ["Hyderabad", "IN"], ["Paris, Texas", "US"], ["Portland", "US"],
];
