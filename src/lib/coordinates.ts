import proj4 from 'proj4';

// ETRS-TM35FIN (EPSG:3067), the coordinate system of Finnish public data such as PTV's addresses.
proj4.defs('EPSG:3067', '+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs');
const toWgs84 = proj4('EPSG:3067', 'EPSG:4326');

/** Northing/easting in ETRS-TM35FIN to WGS84 degrees; null when outside Finland's plausible range. */
export function etrsTm35finToWgs84(northing: number, easting: number): { latitude: number; longitude: number } | null {
  if (!Number.isFinite(northing) || !Number.isFinite(easting)) return null;
  // Finland lies roughly within N 6 600 000–7 800 000, E 50 000–760 000 in this system.
  if (northing < 6_500_000 || northing > 7_900_000 || easting < 0 || easting > 800_000) return null;
  const [longitude, latitude] = toWgs84.forward([easting, northing]) as [number, number];
  return { latitude: round(latitude), longitude: round(longitude) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * WGS84 degrees back to ETRS-TM35FIN northing/easting, in whole metres as PTV gives them (a place
 * imported from PTV comes back to its own metre); null when not a plausible place in Finland.
 */
export function wgs84ToEtrsTm35fin(latitude: number, longitude: number): { northing: number; easting: number } | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  const [easting, northing] = toWgs84.inverse([longitude, latitude]) as [number, number];
  if (northing < 6_500_000 || northing > 7_900_000 || easting < 0 || easting > 800_000) return null;
  return { northing: Math.round(northing), easting: Math.round(easting) };
}
