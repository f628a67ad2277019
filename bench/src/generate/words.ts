/** Word lists the generator draws names from (enough variety for realistic search selectivity). */

export const FIRST_NAMES = (
  'Ada Alan Alice Amara Amir Ana Andre Anna Arjun Ava Ben Bianca Bruno Carla Carlos Chen Chloe Clara Daniel Dara ' +
  'David Diego Dina Elena Eli Elif Emma Eric Esther Ethan Eva Farah Felix Fatima Finn Freya Gabriel Grace Hana Hannah ' +
  'Harper Hassan Hector Helen Hugo Ian Ines Irene Isaac Ivan Jack Jade James Jana Javier Jin John Jonas Jorge ' +
  'Julia Kai Kamal Karen Kate Kenji Kira Lara Laura Leo Leon Lina Liam Lily Lucas Lucia Luis Maya Marco Maria ' +
  'Mark Marta Mateo Max Mei Mia Miguel Mila Mina Mohamed Nadia Naomi Nathan Nina Noah Nora Olga Omar Oscar Owen ' +
  'Paolo Paula Pedro Priya Quinn Rafael Rahul Rana Rosa Ruby Ryan Sam Sara Selin Sofia Sven Tara Theo Tom Uma ' +
  'Vera Victor Wei Will Xavier Yara Yuki Zane Zara Zoe Aiko Bilal Cem Dario Emil Femi Goran Hiro Ilse Jasper ' +
  'Kofi Lars Mads Nils Ola Pia Rui Sina Tuva Ugo Vito Wanda Yusuf Zofia'
).split(' ');

export const LAST_NAMES = (
  'Abbott Adams Ahmed Akhtar Almeida Anderson Arslan Bach Baker Banerjee Barros Becker Bell Berg Bianchi Blanc ' +
  'Brandt Brown Byrne Campbell Cardoso Carter Castro Chan Chen Clarke Cohen Collins Costa Cruz Dahl Das Davies ' +
  'Dias Diaz Dubois Duarte Edwards Eriksen Evans Farouk Fernandes Fischer Fontaine Fraser Garcia Gomez Graham ' +
  'Gray Green Gupta Haas Hall Hansen Harris Hayes Hoffmann Hughes Hussain Ibrahim Ito Jackson Jansen Jensen ' +
  'Johnson Jones Kaplan Kato Keller Khan Kim Klein Koch Kowalski Kraus Kumar Lambert Lange Larsen Lee Lehmann ' +
  'Lewis Lindqvist Lopez Lovelace Lund Maier Martin Martins Meyer Miller Mitchell Moreau Morris Mueller Murphy ' +
  'Nakamura Nguyen Nielsen Novak Oliveira Olsen Ortiz Owens Park Patel Pereira Perez Peters Petrov Popescu ' +
  'Quinn Ramos Reid Ribeiro Richter Rivera Roberts Rossi Russo Santos Sato Schmidt Schneider Scott Shah Silva ' +
  'Singh Smith Sousa Stewart Suzuki Tanaka Taylor Thomas Thompson Torres Turner Vogel Wagner Walker Wang Watson ' +
  'Weber White Williams Wilson Wolf Wong Wright Yamamoto Young Zhang Ziegler Zimmermann'
).split(' ');

export const COMPANY_WORDS = (
  'Acme Apex Arbor Atlas Aurora Beacon Birch Blue Bright Cedar Cobalt Copper Crest Delta Drift Echo Ember Falcon ' +
  'Fern Forge Granite Harbor Helix Horizon Indigo Iron Juniper Keystone Lantern Linden Lumen Maple Meridian ' +
  'Nimbus North Oak Onyx Orbit Pine Pioneer Prism Quartz Quill Raven Ridge River Sable Sage Signal Silver ' +
  'Slate Solar Spruce Summit Terra Tidal Torch Vale Vector Willow Zenith'
).split(' ');

export const COMPANY_KINDS = (
  'Analytics Builders Capital Consulting Dynamics Energy Foods Health Holdings Labs Logistics Media Partners ' +
  'Robotics Software Studios Systems Technologies Ventures Works'
).split(' ');

export const COMPANY_SUFFIXES = ['Ltd', 'Inc', 'GmbH', 'LLC', 'SA', 'BV', 'AG', 'Group', 'Co', 'Oy'];

export const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Finance', 'Education', 'Energy', 'Media', 'Logistics', 'Hospitality'];
export const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'];
export const TITLES = ['CEO', 'CTO', 'CFO', 'Head of Sales', 'Account Manager', 'Engineer', 'Designer', 'Buyer', 'Consultant', 'Operations Lead', 'Marketing Manager', 'Analyst'];
export const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Marketing', 'Operations', 'Procurement', 'Executive', 'Support'];
export const LEAD_SOURCES = ['website', 'referral', 'event', 'cold_call', 'partner', 'linkedin', 'newsletter', 'ads'];
export const TAGS = ['vip', 'newsletter', 'partner', 'churn-risk', 'prospect', 'customer', 'investor', 'press'];
export const TIERS = ['gold', 'silver', 'bronze'];
export const CITIES = ['Berlin', 'Lisbon', 'London', 'Madrid', 'Paris', 'Warsaw', 'Oslo', 'Milan', 'Vienna', 'Dublin', 'Austin', 'Toronto'];
export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'task', 'note'] as const;
export const ACTIVITY_SUBJECTS = ['Intro call', 'Follow up on proposal', 'Quarterly review', 'Send pricing', 'Demo', 'Contract questions', 'Kick-off meeting', 'Check in', 'Renewal discussion', 'Onboarding'];
export const DEAL_WORDS = ['Renewal', 'Expansion', 'Pilot', 'Licence', 'Implementation', 'Support plan', 'Training', 'Audit', 'Migration', 'Retainer'];
