import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../package-root.ts';

/**
 * Which municipality a point (WGS84) most likely lies in: the one whose centre is nearest. Without
 * boundaries this is approximate near a border, which is why the person can always change the
 * choice. Centres come from data/geo/municipality-centres.json (GeoNames; see data/SOURCES.md).
 */

export interface MunicipalityCentre {
  code: string;
  latitude: number;
  longitude: number;
  /** The GeoNames place taken as the centre. */
  place: string;
  /** How far from the centre a point may lie and still count as in this municipality, km. */
  reachKm: number;
}

interface CentresFile {
  source: string;
  licence: string;
  missing: string[];
  centres: [string, number, number, string][];
}

const FILE = fromPackageRoot('data', 'geo', 'municipality-centres.json');
let loaded: { centres: MunicipalityCentre[]; source: string; missing: string[] } | undefined;

export function municipalityCentres() {
  if (!loaded) {
    const file = JSON.parse(readFileSync(FILE, 'utf8')) as CentresFile;
    const points = file.centres.map(([code, latitude, longitude, place]) => ({ code, latitude, longitude, place }));
    loaded = {
      centres: points.map((c) => {
        // Municipalities are large where their centres lie far apart (Lapland) and small where
        // they crowd (the south): twice the distance to the nearest other centre, within limits.
        const neighbour = Math.min(...points.filter((o) => o !== c).map((o) => distanceKm(c.latitude, c.longitude, o.latitude, o.longitude)));
        return { ...c, reachKm: Math.min(MAX_REACH_KM, Math.max(MIN_REACH_KM, 2 * neighbour)) };
      }),
      source: file.source,
      missing: file.missing,
    };
  }
  return loaded;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Finland with its sea areas and Åland, generously: points outside are in no municipality. Inside
 * the box, a point beyond the nearest centre's reach is taken as abroad (Tallinn, Vyborg) or out
 * at sea; a few remote corners (Kilpisjärvi, 150 km from Enontekiö's centre) fall out with them,
 * and their people choose from the list.
 */
const BOUNDS = { south: 59.3, north: 70.2, west: 19.0, east: 31.7 };
export const MIN_REACH_KM = 40;
export const MAX_REACH_KM = 150;

export interface NearestMunicipality {
  code: string;
  distanceKm: number;
  place: string;
}

export function nearestMunicipality(latitude: number, longitude: number): NearestMunicipality | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (latitude < BOUNDS.south || latitude > BOUNDS.north || longitude < BOUNDS.west || longitude > BOUNDS.east) return null;
  let best: MunicipalityCentre | undefined;
  let bestDistance = Infinity;
  for (const centre of municipalityCentres().centres) {
    const d = distanceKm(latitude, longitude, centre.latitude, centre.longitude);
    if (d < bestDistance) {
      best = centre;
      bestDistance = d;
    }
  }
  if (!best || bestDistance > best.reachKm) return null;
  return { code: best.code, distanceKm: bestDistance, place: best.place };
}
